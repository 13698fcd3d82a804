import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as architecture from '../src/architecture/index.js';
import * as complexity from '../src/complexity/index.js';
import * as energy from '../src/energy/index.js';
import * as fit from '../src/fit/index.js';
import * as surface from '../src/surface/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Names the main entry exports (values and types), with their source file and category section. */
function mainEntryNames(): { name: string; path: string; section: string }[] {
  const out: { name: string; path: string; section: string }[] = [];
  let section = '';
  for (const line of read('src/index.ts').split('\n')) {
    const s = /^\/\/ ── (.*) ──$/.exec(line);
    if (s) section = s[1];
    const m = /^export (?:type )?\{ (.*) \} from '\.\/(.*)\.js';$/.exec(line);
    if (m) for (const name of m[1].split(',')) out.push({ name: name.trim(), path: `src/${m[2]}.ts`, section });
  }
  return out;
}

/** The doc comment right above `export … name` in a source file. */
function docOf(path: string, name: string): string | undefined {
  const re = new RegExp(String.raw`(/\*\*(?:(?!\*/)[\s\S])*?\*/)\s*\nexport (?:declare )?(?:async )?(?:function|const|interface|type|class) ` + name + String.raw`\b`);
  return re.exec(read(path))?.[1];
}

describe('the main entry', () => {
  it('is small: what a service and an analyst use, well under 80 names', () => {
    const names = mainEntryNames();
    expect(names.length).toBeGreaterThan(40);
    expect(names.length).toBeLessThan(70);
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
    // Internals stay out of it.
    for (const internal of ['RowScratch', 'rowRuns', 'whitenedBasis', 'SHARED_KEY', 'viridis', 'fillFeatures', 'nnls']) {
      expect(Object.keys(main)).not.toContain(internal);
    }
  });

  it('documents every name with an example, in the category of its section', () => {
    for (const { name, path, section } of mainEntryNames()) {
      const doc = docOf(path, name);
      expect([name, doc !== undefined]).toEqual([name, true]);
      expect([name, /@example/.test(doc!)]).toEqual([name, true]);
      expect([name, new RegExp(`@category ${section}\\n`).test(doc!)]).toEqual([name, true]);
    }
  });

  it('loses nothing: every value the library exported before is in the main entry or a layer entry', () => {
    const before = ['ArchitectureSchema', 'BUILT_IN_FORMS', 'CALIBRATION_FORMS', 'COLUMN_TO_FIELD', 'CalibrationErrorsSchema', 'CalibrationSchema', 'DEFAULT_BOX', 'ErrorSummarySchema', 'FEATURE_NAMES', 'FORMULA_FUNCTIONS', 'FeatureTable', 'FittedOnSchema', 'H100_DEFAULT_CALIBRATION', 'HARDWARE_PARAMS', 'HARDWARE_PROFILES', 'HF_MODEL_TYPES', 'HardwareProfileSchema', 'MAX_AXIS_TOKENS', 'MAX_SCAN_POINTS', 'MAX_SURFACE_POINTS', 'MEASUREMENT_COLUMNS', 'METRICS', 'MeasurementSchema', 'ModelCalibrationSchema', 'PER_MODEL_FORMS', 'PRESETS', 'PRESET_INPUTS', 'ParamValueSchema', 'ParamValuesSchema', 'RequestSchema', 'RowScratch', 'SHARED_KEY', 'SWEET_SPOT_COLOR', 'SlidingWindowSchema', 'SweetspotInputError', 'axisLog', 'axisPoints', 'axisRange', 'bestOutputFor', 'blockMatmulParams', 'calibrate', 'calibrationForm', 'calibrationLabel', 'callMetrics', 'canonicalRows', 'causalPairs', 'checkBox', 'checkEnergyJ', 'checkSearchSize', 'checkWithinPercent', 'columnValue', 'compileFormula', 'computeSurface', 'conditionNumber', 'configKey', 'contextOutLimit', 'costOf', 'createAdvisor', 'crossValidate', 'cvFolds', 'defaultCalibration', 'defaultLogPoints', 'defaultStarts', 'describesOneBatch', 'emptyFeatures', 'emptyRowExtremes', 'energyForm', 'energyModel', 'energyModelAsync', 'errorMetrics', 'evaluate', 'featuresFromTerms', 'fillFeatures', 'filterMeasurements', 'findPreset', 'fitBaseline', 'fitForm', 'fitRows', 'formEnergy', 'formNeedsArchitecture', 'fromHfConfig', 'functionEnergy', 'groupByColumns', 'groupRepeats', 'hardwareEnergy', 'hardwareForm', 'hardwareFormBase', 'hardwarePhaseJ', 'heatmapLayout', 'heatmapSvg', 'inBoxRegion', 'isLengthOnlyForm', 'kvBytesPerToken', 'kvBytesPerTokenPerLayer', 'layerWindows', 'levenbergMarquardt', 'linePlotSvg', 'linearForm', 'lmHeadParams', 'loadArchitecture', 'loadMeasurements', 'measurementFeatures', 'metricFromCost', 'metricInfo', 'nnls', 'noiseFloor', 'paramBreakdown', 'paramCount', 'parseAxisSpec', 'parseCalibration', 'parseCsv', 'parsePins', 'perKeyErrors', 'perParamForm', 'pinParams', 'polynomialEnergy', 'precisionFor', 'predictEnergy', 'predictRows', 'prepareRows', 'preset', 'presetIds', 'readMeasurements', 'regionThreshold', 'relativeProblem', 'requestTerms', 'requireArchitectures', 'resolveArchitecture', 'resolveProfile', 'rooflineTimeS', 'rowExtremes', 'rowRuns', 'rowsSha256', 'serializeCalibration', 'subset', 'sumCausalPairs', 'sumMin', 'surfaceEnergy', 'surfaceEnergyFromModel', 'surfaceExtremes', 'surfaceRegion', 'sweetRegion', 'sweetSpot', 'sweetspotForm', 'termsKernel', 'termsWithKernel', 'undeterminedParams', 'viridis', 'viridisHex', 'weightBytesPerStep', 'whitenedBasis', 'windowGroups'];
    const everywhere = new Set([main, architecture, complexity, energy, fit, surface].flatMap((m) => Object.keys(m)));
    expect(before.filter((n) => !everywhere.has(n))).toEqual([]);
  });

  it('is re-exported by each layer entry for its own layer (same objects)', () => {
    expect(energy.estimate).toBe(main.estimate);
    expect(fit.calibrate).toBe(main.calibrate);
    expect(surface.sweetSpot).toBe(main.sweetSpot);
    expect(architecture.preset).toBe(main.preset);
    expect(complexity.requestTerms).toBe(main.requestTerms);
  });
});
