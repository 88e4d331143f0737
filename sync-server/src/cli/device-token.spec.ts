import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTtl, runCli, UsageError } from './device-token.js';

let dataDir: string;
let out: string[];
let err: string[];
const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
const run = (command: 'device-token' | 'enrol-code', ...args: string[]) =>
	runCli(command, [...args, '--data', dataDir], {}, io);

beforeEach(() => {
	dataDir = mkdtempSync(path.join(tmpdir(), 'branchline-cli-'));
	out = [];
	err = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('device-token CLI', () => {
	it('mints the first owner token of a new chain, printing only the token on stdout', async () => {
		expect(
			await run('device-token', '--chain', 'chain-9', '--branch', 'hq', '--role', 'owner', '--new-chain')
		).toBe(0);
		expect(out).toHaveLength(1);
		expect(decodeJwt(out[0] as string)).toMatchObject({ chain: 'chain-9', branch: 'hq', role: 'owner' });
		expect(decodeJwt(out[0] as string).device).toMatch(/^cli-[0-9a-f]{8}$/);
		expect(err.join('\n')).toContain('expires');
	});

	it('refuses an unknown chain without --new-chain, and bad arguments with usage', async () => {
		expect(await run('device-token', '--chain', 'nope', '--branch', 'hq', '--role', 'owner')).toBe(1);
		expect(err.join('\n')).toMatch(/--new-chain/);
		expect(await run('device-token', '--chain', 'c', '--branch', 'hq', '--role', 'boss')).toBe(2);
		expect(await run('device-token', '--branch', 'hq', '--role', 'owner')).toBe(2);
		expect(await run('device-token', '--bogus')).toBe(2);
		expect(err.join('\n')).toContain('Usage:');
	});

	it('prints an enrolment code for a known chain', async () => {
		await run('device-token', '--chain', 'chain-9', '--branch', 'hq', '--role', 'owner', '--new-chain');
		out = [];
		expect(
			await run('enrol-code', '--chain', 'chain-9', '--branch', 'br-01', '--role', 'cashier', '--json')
		).toBe(0);
		expect(JSON.parse(out[0] as string)).toMatchObject({
			chain: 'chain-9',
			branch: 'br-01',
			role: 'cashier'
		});
		expect(JSON.parse(out[0] as string).code).toMatch(/^\d{8}$/);
	});

	it.each([
		['90m', 5400],
		['12h', 43200],
		['30d', 2592000],
		['600', 600]
	])('parses --ttl %s', (text, seconds) => expect(parseTtl(text)).toBe(seconds));

	it('refuses silly lifetimes', () => {
		expect(() => parseTtl('1y')).toThrow(UsageError);
		expect(() => parseTtl('100d')).toThrow(/90 days/);
	});
});
