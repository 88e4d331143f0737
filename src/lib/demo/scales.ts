/** Scale definitions (see ARCHITECTURE.md, "chain-L") and the fixed clock the demo data is stamped with. */
import type { DemoScale, ScaleSpec } from './types';

export const DEFAULT_DEMO_SEED = 'branchline-demo';

/** 2026-11-01 00:00 China time. Fixed, so the same seed gives the same data whenever it runs. */
export const DEMO_AS_OF = Date.UTC(2026, 9, 31, 16, 0, 0);

/** China Standard Time has no daylight saving: local = UTC + 8 h. */
export const CHINA_OFFSET_MS = 8 * 3600 * 1000;
export const DAY_MS = 24 * 3600 * 1000;

const CHAIN_L: ScaleSpec = {
	branches: 30,
	devicesPerBranch: 2,
	styles: 20_000,
	skus: 60_000,
	members: 100_000,
	pastSales: 500_000,
	ledgerEntries: 1_000_000,
	historyDays: 365
};

export const SCALES: Readonly<Record<DemoScale, ScaleSpec>> = {
	demo: {
		branches: 2,
		devicesPerBranch: 2,
		styles: 300,
		skus: 1_000,
		members: 500,
		pastSales: 200,
		ledgerEntries: 400,
		historyDays: 30
	},
	/** 10 % of chain-L. */
	'chain-M': {
		branches: 3,
		devicesPerBranch: 2,
		styles: 2_000,
		skus: 6_000,
		members: 10_000,
		pastSales: 50_000,
		ledgerEntries: 100_000,
		historyDays: 365
	},
	'chain-L': CHAIN_L
};

export function isDemoScale(value: string): value is DemoScale {
	return Object.hasOwn(SCALES, value);
}
