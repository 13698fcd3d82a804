import { describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { SweetspotInputError } from '../../src/errors.js';
import { REFERENCE } from '../architecture/reference.js';

const cli = (args: string[]) => cliIn(process.cwd(), args);

describe('sweetspot presets', () => {
  it('--json: every reference model with its reference parameter count', async () => {
    const { code, stdout } = await cli(['presets', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ id: string; hfId: string; params: number; kvBytesPerToken: number }>;
    expect(rows).toHaveLength(34);
    for (const r of REFERENCE) {
      const row = rows.find((x) => x.hfId === r.id);
      expect(row?.params, r.id).toBe(r.unique_params_computed);
      // 2 (K and V) · KV heads · head dim · 2 bytes · layers
      expect(row?.kvBytesPerToken, r.id).toBe(2 * r.num_key_value_heads * r.head_dim * 2 * r.num_hidden_layers);
    }
    expect(Object.keys(rows[0]).sort()).toEqual(['hfId', 'id', 'kvBytesPerToken', 'params']);
  });

  it('prints a table with one line per preset', async () => {
    const { code, stdout } = await cli(['presets']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+Hugging Face id\s+parameters\s+KV bytes\/token$/);
    expect(lines).toHaveLength(35);
    expect(stdout).toMatch(/^falcon-7b\s+tiiuae\/falcon-7b\s+6,921,720,704\s+8,192$/m);
    expect(stdout).toMatch(/^llama-3\.1-8b\s+meta-llama\/Llama-3\.1-8B\s+8,030,261,248\s+131,072$/m);
    expect(stdout).toMatch(/^qwen2\.5-14b\s+Qwen\/Qwen2\.5-14B\s+14,770,033,664\s+196,608$/m);
    expect(stdout).toMatch(/^mistral-7b-v0\.3\s+mistralai\/Mistral-7B-v0\.3\s+7,248,023,552\s+131,072$/m);
    // 80 layers · 2 · 8 KV heads · 128 · 2 bytes = 327,680.
    expect(stdout).toMatch(/^llama-3\.1-70b\s+meta-llama\/Llama-3\.1-70B\s+70,553,706,496\s+327,680$/m);
    expect(stdout).toMatch(/^qwen2\.5-72b\s+Qwen\/Qwen2\.5-72B\s+72,706,203,648\s+327,680$/m);
  });

  it('--help explains the command; a stray argument is an input error naming it', async () => {
    const help = await cli(['presets', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: sweetspot presets \[--json\]/);
    await expect(cli(['presets', 'extra'])).rejects.toThrow(SweetspotInputError);
    await expect(cli(['presets', 'extra'])).rejects.toThrow(/presets: unexpected argument 'extra'/);
    await expect(cli(['presets', '--csv'])).rejects.toThrow(/presets: .*--csv/);
  });
});
