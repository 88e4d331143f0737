import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoChain } from '../src/lib/demo/generator';
import { parseSeedArgs, runSeed } from './seed';

const dirs: string[] = [];
const tempDir = async () => {
	const dir = await mkdtemp(join(tmpdir(), 'branchline-seed-'));
	dirs.push(dir);
	return dir;
};
afterAll(async () => {
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
const quiet = () => {};

describe('seed CLI', () => {
	it('parses arguments with defaults and rejects bad ones', () => {
		const defaults = parseSeedArgs([], '/srv/data');
		expect(defaults.scale).toBe('demo');
		expect(defaults.seed).toBe('branchline-demo');
		expect(defaults.out).toBe(resolve('/srv/data/seed/demo'));
		expect(parseSeedArgs(['--scale', 'chain-L', '--seed', 'x', '--out', '/tmp/o', '--force'])).toEqual({
			scale: 'chain-L',
			seed: 'x',
			out: '/tmp/o',
			force: true
		});
		expect(() => parseSeedArgs(['--scale', 'huge'])).toThrow(/unknown scale/);
		expect(() => parseSeedArgs(['--seed', ''])).toThrow(/must not be empty/);
		expect(() => parseSeedArgs(['--bogus'])).toThrow();
	});

	it('writes demo chain.json with a manifest, skips an identical rerun and regenerates on --force', async () => {
		const out = await tempDir();
		const first = await runSeed({ scale: 'demo', seed: 'seed-spec', out, force: false }, quiet);
		expect(first.skipped).toBe(false);
		const chain = JSON.parse(await readFile(join(out, 'chain.json'), 'utf8')) as DemoChain;
		expect(chain.seed).toBe('seed-spec');
		expect(chain.variants.length).toBe(chain.counts.variants);
		const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
		expect(manifest).toEqual(first.manifest);

		const second = await runSeed({ scale: 'demo', seed: 'seed-spec', out, force: false }, quiet);
		expect(second.skipped).toBe(true);

		const forced = await runSeed({ scale: 'demo', seed: 'seed-spec', out, force: true }, quiet);
		expect(forced.skipped).toBe(false);
		expect(forced.manifest.contentHash).toBe(first.manifest.contentHash);

		const otherSeed = await runSeed({ scale: 'demo', seed: 'other', out, force: false }, quiet);
		expect(otherSeed.skipped).toBe(false);
		expect(otherSeed.manifest.contentHash).not.toBe(first.manifest.contentHash);
	});

	it('regenerates when a file no longer matches the manifest', async () => {
		const out = await tempDir();
		await runSeed({ scale: 'demo', seed: 'seed-spec', out, force: false }, quiet);
		await writeFile(join(out, 'chain.json'), '{}');
		const again = await runSeed({ scale: 'demo', seed: 'seed-spec', out, force: false }, quiet);
		expect(again.skipped).toBe(false);
	});
});
