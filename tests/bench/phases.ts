/** The measuring phases of a run: in-page storage figures on the loader page, then the till's UI. */
import type { Page } from '@playwright/test';
import path from 'node:path';
import { zhCN } from '../../src/lib/i18n/messages/zh-CN';
import type { DemoChainIndex } from '../../src/lib/demo/types';
import * as ui from './app';
import type { Picks } from './chain';
import { printSummary, withCpuProfile } from './profile';
import type { CommitSample, FloorSamples, LookupSamples, ScanSplits } from './types';

export const COUNTS = {
	scans: 1000,
	scanWarmup: 40,
	cartSize: 20,
	/** Pause after each scan so the till's background work (stock check, cart save) ends as between real scans. */
	scanGapMs: 25,
	lookups: 1000,
	lookupWarmup: 50,
	attaches: 50,
	attachWarmup: 5,
	commits: 300,
	commitWarmup: 20,
	relaxedCommits: 100,
	splits: 300,
	floors: 300,
	reloads: 10,
	reloadWarmup: 3,
	restarts: 3
};

export interface Options {
	/** Write CPU profiles of the commit and scan phases to this folder. */
	profileDir: string | null;
	log: (line: string) => void;
}

export interface StorageFigures {
	floors: FloorSamples;
	lookups: LookupSamples;
	commits: CommitSample[];
	relaxedCommits: CommitSample[];
	splits: ScanSplits;
}

function need<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new Error(`the bench bundle did not answer (${what})`);
	return value;
}

export async function storagePhase(
	page: Page,
	picks: Picks,
	header: DemoChainIndex,
	options: Options
): Promise<StorageFigures> {
	const c = COUNTS;
	const branch = header.branches[0];
	if (!branch) throw new Error('the chain has no branch');
	const floors = need(
		await page.evaluate(([p, n]) => window.__bench?.floors(p, n), [picks.phones, c.floors] as const),
		'floors'
	);
	const [warmPhones, phones] = [picks.phones.slice(0, c.lookupWarmup), picks.phones.slice(c.lookupWarmup)];
	const [warmLast4, last4s] = [picks.last4s.slice(0, c.lookupWarmup), picks.last4s.slice(c.lookupWarmup)];
	await page.evaluate(([p, l]) => window.__bench?.lookups(p, l), [warmPhones, warmLast4] as const);
	const lookups = need(
		await page.evaluate(([p, l]) => window.__bench?.lookups(p, l), [phones, last4s] as const),
		'lookups'
	);
	if (lookups.phoneMisses) throw new Error(`${lookups.phoneMisses} phone look-ups found no member`);

	const strictCases = picks.commitCases.slice(0, c.commitWarmup + c.commits);
	const relaxedCases = picks.commitCases.slice(c.commitWarmup + c.commits);
	const commit = () =>
		page.evaluate(([cases, code]) => window.__bench?.commits(cases, code), [
			strictCases,
			branch.code
		] as const);
	let commits: CommitSample[];
	if (options.profileDir) {
		const file = path.join(options.profileDir, 'commit.cpuprofile');
		const profiled = await withCpuProfile(page, file, commit);
		printSummary('sale commits', file, profiled.summary, options.log);
		commits = need(profiled.result, 'commits');
	} else commits = need(await commit(), 'commits');
	const relaxedCommits = need(
		await page.evaluate(([cases, code]) => window.__bench?.commits(cases, code, 'relaxed'), [
			relaxedCases,
			branch.code
		] as const),
		'relaxed commits'
	);
	const splits = need(
		await page.evaluate(([codes, id]) => window.__bench?.scanSplits(codes, id), [
			picks.splitBarcodes,
			branch.id
		] as const),
		'scan splits'
	);
	await page.evaluate(() => window.__bench?.close());
	return { floors, lookups, commits: commits.slice(c.commitWarmup), relaxedCommits, splits };
}

export interface UiFigures {
	firstVisit: ui.ColdStartSample;
	/** Paths of the JavaScript the first visit loaded (to cross-check initial_js_gzip_kb). */
	firstVisitJs: string[];
	coldReload: ui.ColdStartSample[];
	scans: ui.ScanSample[];
	attaches: ui.AttachSample[];
}

export async function uiPhase(
	page: Page,
	baseURL: string,
	picks: Picks,
	owner: { name: string; pin: string },
	options: Options
): Promise<UiFigures> {
	const c = COUNTS;
	await ui.installColdStartProbe(page, owner.name);
	const firstVisit = await ui.coldStartOnce(page, `${baseURL}/`);
	const firstVisitJs = await page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.map((e) => new URL(e.name).pathname)
			.filter((p) => p.endsWith('.js') && !p.endsWith('service-worker.js'))
	);
	await page.evaluate(async () => {
		await navigator.serviceWorker?.ready;
	});
	const coldReload: ui.ColdStartSample[] = [];
	for (let i = 0; i < c.reloadWarmup + c.reloads; i++) {
		const sample = await ui.coldStartOnce(page);
		if (i >= c.reloadWarmup) coldReload.push(sample);
	}

	await ui.signIn(page, owner.name, owner.pin);
	const clearLabel = zhCN['till.clear'];
	const scanEverything = async () => {
		const out: ui.ScanSample[] = [];
		for (let i = 0; i < picks.scanBarcodes.length; i += c.cartSize) {
			const batch = await ui.scanAll(page, picks.scanBarcodes.slice(i, i + c.cartSize), c.scanGapMs);
			if (i >= c.scanWarmup) out.push(...batch);
			await ui.clearCart(page, clearLabel);
		}
		return out;
	};
	let scans: ui.ScanSample[];
	if (options.profileDir) {
		const file = path.join(options.profileDir, 'scan.cpuprofile');
		const profiled = await withCpuProfile(page, file, scanEverything);
		printSummary('scanning', file, profiled.summary, options.log);
		scans = profiled.result;
	} else scans = await scanEverything();

	await ui.scanUntimed(page, picks.repriceBarcodes);
	const attaches: ui.AttachSample[] = [];
	for (const [i, phone] of picks.levelMembers.entries()) {
		const sample = await ui.attachMember(page, phone, zhCN['member.detach']);
		if (i >= c.attachWarmup) attaches.push(sample);
	}
	await ui.clearCart(page, clearLabel);
	return { firstVisit, firstVisitJs, coldReload, scans, attaches };
}
