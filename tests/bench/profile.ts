/**
 * `--profile`: records a V8 CPU profile of a phase through the DevTools protocol, writes it to
 * bench/cache/<name>.cpuprofile (open it in Chrome DevTools → Performance) and summarises self time by script
 * and by function, so a run says where the main thread went without opening anything.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	hitCount?: number;
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples?: number[];
	timeDeltas?: number[];
	startTime: number;
	endTime: number;
}

export interface ProfileSummary {
	totalMs: number;
	byScript: [string, number][];
	byFunction: [string, number][];
}

function summarise(profile: CpuProfile): ProfileSummary {
	const selfUs = new Map<number, number>();
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	for (let i = 0; i < samples.length; i++) {
		const id = samples[i] as number;
		selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
	}
	const byScript = new Map<string, number>();
	const byFunction = new Map<string, number>();
	for (const node of profile.nodes) {
		const us = selfUs.get(node.id) ?? 0;
		if (!us) continue;
		const { functionName, url, lineNumber, columnNumber } = node.callFrame;
		const script = url ? (url.split('/').pop() ?? url) : `(${functionName || 'native'})`;
		byScript.set(script, (byScript.get(script) ?? 0) + us);
		const fn = `${functionName || '(anonymous)'} ${script}:${lineNumber + 1}:${columnNumber + 1}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
	}
	const top = (m: Map<string, number>) =>
		[...m.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 12)
			.map(([k, us]): [string, number] => [k, us / 1000]);
	return {
		totalMs: (profile.endTime - profile.startTime) / 1000,
		byScript: top(byScript),
		byFunction: top(byFunction)
	};
}

export async function withCpuProfile<T>(
	page: Page,
	file: string,
	work: () => Promise<T>
): Promise<{ result: T; summary: ProfileSummary }> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	const result = await work();
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
	await cdp.detach();
	await writeFile(file, JSON.stringify(profile));
	return { result, summary: summarise(profile) };
}

export function printSummary(name: string, file: string, s: ProfileSummary, log: (l: string) => void): void {
	log(`  CPU profile of ${name}: ${s.totalMs.toFixed(0)} ms wall, written to ${path.basename(file)}`);
	log('    self time by script:');
	for (const [k, ms] of s.byScript) log(`      ${ms.toFixed(0).padStart(7)} ms  ${k}`);
	log('    self time by function:');
	for (const [k, ms] of s.byFunction) log(`      ${ms.toFixed(0).padStart(7)} ms  ${k}`);
}
