import { describe, expect, it } from 'vitest';
import { crossValidate, estimate, sweetspotForm } from '../../src/index.js';
import { intervalOf } from '../../src/energy/predict/interval.js';
import { energyModel } from '../../src/energy/predict/predict.js';
import { defaultCalibration, preset } from '../../src/index.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { cli, inputError, tempDir } from './helpers.js';

// (1 + level) / 2 rounds to 1 for levels within 2⁻⁵³ of 1, whose quantile is infinite: such a
// level is refused by the argument that carries it, not as `normalQuantile: p … got 1`.

const JUST_BELOW_ONE = 0.9999999999999999; // 1 − 2⁻⁵³

describe('interval levels just below 1', () => {
  it('estimate({ interval }), intervalOf and predict --interval name the level (they said "normalQuantile: p must lie in (0, 1), got 1")', async () => {
    expect(JUST_BELOW_ONE).toBe(1 - 2 ** -53);
    await inputError(() => estimate('llama-3.1-8b', { nIn: 10, nOut: 5 }, { interval: JUST_BELOW_ONE }), ['estimate({ interval }): a coverage in (0, 1) such as 0.9, got 0.9999999999999999 (at most 1 − 2⁻⁵²']);
    const model = energyModel(defaultCalibration(), preset('llama-3.1-8b'));
    await inputError(() => intervalOf(model, 10, 5, JUST_BELOW_ONE), ['interval: level must lie in (0, 1), got 0.9999999999999999 (at most 1 − 2⁻⁵²']);
    await inputError(cli(tempDir(), ['predict', '--model', 'llama-3.1-8b', '--in', '10', '--out', '5', '--interval', '0.9999999999999999']), [
      "predict: --interval must be a coverage between 0 and 1 such as 0.9, got '0.9999999999999999' (at most 1 − 2⁻⁵²",
    ]);
  });

  it('the largest level a double allows still gives a finite interval around the estimate', () => {
    const largest = 1 - 2 ** -52;
    const e = estimate('llama-3.1-8b', { nIn: 10, nOut: 5 }, { interval: largest });
    const [low, high] = e.intervalJ!;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(e.energyJ);
    expect(high).toBeGreaterThan(e.energyJ);
    expect(Number.isFinite(high)).toBe(true);
  });

  it('crossValidate checks its level by name (level: 5 and "x" reached normalQuantile)', async () => {
    const rows = [64, 256, 1024].flatMap((i) => [16, 64, 256].map((o) => MeasurementSchema.parse({ model: 'llama-2-7b', nIn: i, nOut: o, energyJ: 1 + i / 100 + o })));
    await inputError(() => crossValidate(rows, { kind: 'k-fold', k: 3 }, { form: sweetspotForm, level: 5 }), ['crossValidate({ level }): a coverage in (0, 1) such as 0.9, got 5']);
    await inputError(() => crossValidate(rows, { kind: 'k-fold', k: 3 }, { form: sweetspotForm, level: 'x' as never }), ['crossValidate({ level }): a coverage in (0, 1) such as 0.9, got "x"']);
  });
});
