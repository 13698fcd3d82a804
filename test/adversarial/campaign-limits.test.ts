import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_LIMITS, CampaignError, CompletionError, EnergyMonitor, gridSize, promptTokenIds, remainingPoints, requestCompletion, runCampaign } from '../../src/nvml/index.js';
import { fakeRig } from '../fixtures/fake-rig.js';
import { inputError, tempDir } from './helpers.js';

const rig = fakeRig();
const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server that answers 200 and then writes `chunks` chunks of 1 MiB (forever when Infinity), with or without a content-length. */
async function floodServer(chunks: number, contentLength?: number): Promise<{ url: string; written: () => number }> {
  let written = 0;
  const chunk = Buffer.alloc(1 << 20, 'x');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', ...(contentLength !== undefined ? { 'content-length': String(contentLength) } : {}) });
      const more = () => {
        while (written < chunks * chunk.length) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      more();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/completions`, written: () => written };
}

const request = (url: string) => ({ url, model: 'm', promptIds: [1, 2, 3], nOut: 4, timeoutS: 60 });

describe('campaigns: plans and servers cannot exhaust memory', () => {
  it('refuses a plan over CAMPAIGN_LIMITS.requests before listing it (it built an array of every request, 10¹⁰ here)', async () => {
    const lengths = Array.from({ length: 1000 }, (_, k) => k + 1);
    await inputError(() => remainingPoints(lengths, lengths, 10_000), ['the plan has 10000000000 requests (1000 prompt lengths × 1000 output lengths × 10000 repeats), more than the limit of 1000000']);
    await inputError(() => gridSize([1, 2], [3], 1e9), ['the plan has 2000000000 requests']);
    // At the limit the plan is listed in full.
    expect(remainingPoints(lengths, lengths, 1)).toHaveLength(CAMPAIGN_LIMITS.requests);
    expect(gridSize(lengths, lengths, 1)).toBe(CAMPAIGN_LIMITS.requests);
  });

  it('refuses an oversized plan before it takes the lock or touches the file (it cut off a half-written last row first)', async () => {
    const nvml = await rig.open(1_000_000);
    const dir = tempDir('adversarial-campaign-plan-');
    const csvPath = join(dir, 'runs.csv');
    const halfWritten = 'model,n_in,n_out,repeat\nm,8,4,1\nm,8,';
    writeFileSync(csvPath, halfWritten);
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)] });
    const lengths = Array.from({ length: 1000 }, (_, k) => k + 1);
    const run = runCampaign({ endpoint: 'http://127.0.0.1:9/v1/completions', model: 'm', nIn: lengths, nOut: lengths, repeats: 2, csvPath, monitor });
    await inputError(run, ['the plan has 2000000 requests']);
    expect(readFileSync(csvPath, 'utf8')).toBe(halfWritten);
    expect(readdirSync(dir)).toEqual(['runs.csv']);
  });

  it('refuses lengths that are not a list or beyond CAMPAIGN_LIMITS.lengthTokens (gridSize threw a TypeError; promptTokenIds(1e9) allocated a billion ids)', async () => {
    await inputError(() => gridSize(5 as unknown as number[], [1], 1), ['nIn must list at least one length']);
    await inputError(() => remainingPoints([1], [2 ** 40], 1), ['nOut must hold integers from 1 to 4194304 (CAMPAIGN_LIMITS.lengthTokens), got 1099511627776']);
    await inputError(() => promptTokenIds(1e9, 1), ['prompt length must be an integer from 1 to 4194304 (CAMPAIGN_LIMITS.lengthTokens), got 1000000000']);
    expect(promptTokenIds(CAMPAIGN_LIMITS.lengthTokens, 1)).toHaveLength(CAMPAIGN_LIMITS.lengthTokens);
  });

  it('stops reading a response past CAMPAIGN_LIMITS.responseBytes (it read an endless body into memory)', async () => {
    const flood = await floodServer(Infinity);
    let caught: unknown;
    try {
      await requestCompletion(request(flood.url));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CompletionError);
    expect((caught as CompletionError).message).toBe(`the response is larger than ${CAMPAIGN_LIMITS.responseBytes} bytes (CAMPAIGN_LIMITS.responseBytes; over ${CAMPAIGN_LIMITS.responseBytes} bytes read)`);
    expect((caught as CompletionError).retryable).toBe(false);
    // The server was cut off soon after the limit, not read to its end.
    expect(flood.written()).toBeLessThan(CAMPAIGN_LIMITS.responseBytes * 2);
  });

  it('gives up on a body that drips a byte at a time after timeoutS, not when the server stops', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/completions`;
    const startedMs = performance.now();
    const error = await requestCompletion({ ...request(url), timeoutS: 0.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompletionError);
    expect((error as CompletionError).message).toBe('timed out after 0.5 s');
    expect((error as CompletionError).retryable).toBe(true);
    expect(performance.now() - startedMs).toBeLessThan(5000);
  });

  it('refuses a response whose content-length is over the limit without reading it', async () => {
    const flood = await floodServer(1, CAMPAIGN_LIMITS.responseBytes + 1);
    await expect(requestCompletion(request(flood.url))).rejects.toThrow(`(CAMPAIGN_LIMITS.responseBytes; content-length ${CAMPAIGN_LIMITS.responseBytes + 1})`);
  });

  it('stops a campaign on an endless response with a CampaignError naming the limit, without retrying', async () => {
    const nvml = await rig.open(1_000_000);
    const flood = await floodServer(Infinity);
    const csvPath = join(tempDir('adversarial-campaign-limits-'), 'runs.csv');
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], counterUpdatePeriodS: 1e-9 });
    const run = runCampaign({ endpoint: flood.url, model: 'm', nIn: [8], nOut: [4], repeats: 1, warmup: 0, idleS: 0, retries: 3, retryDelayS: 0, csvPath, monitor });
    const error = await inputError(run, ['failed after 1 attempt(s): the response is larger than 67108864 bytes'], 'CampaignError');
    expect(error).toBeInstanceOf(CampaignError);
    expect(monitor.openWindows).toEqual([]);
  });
});

describe('campaigns: the CSV resumed from', () => {
  it('refuses a campaign file over READ_LIMITS.measurementBytes before reading it (readFileSync failed past 512 MB with ERR_STRING_TOO_LONG)', async () => {
    const { openSync, ftruncateSync, closeSync, statSync } = await import('node:fs');
    const { READ_LIMITS } = await import('../../src/text-input.js');
    const { readCampaignFile } = await import('../../src/nvml/index.js');
    const path = join(tempDir('adversarial-campaign-file-'), 'runs.csv');
    // A sparse file: its size is over the limit without writing the bytes.
    const fd = openSync(path, 'w');
    ftruncateSync(fd, READ_LIMITS.measurementBytes + 1);
    closeSync(fd);
    await inputError(() => readCampaignFile(path, 'm'), [`${path} is larger than the limit of ${READ_LIMITS.measurementBytes} bytes of a measurement file (${READ_LIMITS.measurementBytes + 1} bytes)`]);
    expect(statSync(path).size).toBe(READ_LIMITS.measurementBytes + 1);
  });
});
