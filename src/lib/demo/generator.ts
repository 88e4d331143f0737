/**
 * Deterministic demo chain: the same seed and scale give the same data, byte for byte, on any machine and any
 * day (the clock is fixed at DEMO_AS_OF). Small scales come out as one object; big ones as restartable streams.
 *
 * Node-side only (the seed script and tests): it pulls in pinyin-pro's dictionary, so client code must load the
 * generated chain.json instead of importing this module.
 */
import { demoGifts, demoMembership, demoOpeningBalances, demoPlans } from './membership';
import { demoCategories, generateCatalog } from './catalog';
import { countStock, generateStock } from './stock';
import { generateHistory, indexCatalog, indexMembers, type CatalogIndex, type MemberIndex } from './history';
import {
	demoBranches,
	demoChainInfo,
	demoDevices,
	demoLevels,
	demoPromotions,
	demoSettings,
	demoStaff,
	generateMembers
} from './people';
import { DEFAULT_DEMO_SEED, DEMO_AS_OF, SCALES, isDemoScale } from './scales';
import {
	DEMO_GENERATOR_VERSION,
	type DemoChain,
	type DemoChainHeader,
	type DemoChainStreams,
	type DemoScale,
	type LedgerEntry,
	type PastSale,
	type ScaleSpec
} from './types';

export interface DemoOptions {
	/** Any non-empty string; default 'branchline-demo'. */
	seed?: string;
	/** Default 'demo'. */
	scale?: DemoScale;
}

interface Resolved {
	seed: string;
	scale: DemoScale;
	spec: ScaleSpec;
}

function resolve({ seed = DEFAULT_DEMO_SEED, scale = 'demo' }: DemoOptions): Resolved {
	if (typeof seed !== 'string' || seed.length === 0)
		throw new TypeError('demo seed must be a non-empty string');
	if (!isDemoScale(scale)) throw new TypeError(`unknown demo scale "${String(scale)}"`);
	return { seed, scale, spec: SCALES[scale] };
}

/** The small records plus exact counts of everything (the stock count costs one cheap pass of the PRNG). */
export function demoChainHeader(options: DemoOptions = {}): DemoChainHeader {
	const { seed, scale, spec } = resolve(options);
	const branches = demoBranches(seed, spec.branches);
	const devices = demoDevices(branches, spec.devicesPerBranch);
	const categories = demoCategories();
	const levels = demoLevels();
	const promotions = demoPromotions();
	const staff = demoStaff(seed, branches);
	const { gifts, stock: giftStock } = demoGifts(
		branches.map((b) => b.id),
		DEMO_AS_OF
	);
	return {
		version: 1,
		generatorVersion: DEMO_GENERATOR_VERSION,
		seed,
		scale,
		asOf: DEMO_AS_OF,
		chain: demoChainInfo(seed),
		branches,
		devices,
		categories,
		levels,
		promotions,
		staff,
		settings: demoSettings(),
		membership: demoMembership(),
		openingBalances: demoOpeningBalances(),
		plans: demoPlans(),
		gifts,
		giftStock,
		counts: {
			branches: branches.length,
			devices: devices.length,
			categories: categories.length,
			levels: levels.length,
			styles: spec.styles,
			variants: spec.skus,
			stock: countStock({ seed, skuCount: spec.skus, branches }),
			promotions: promotions.length,
			members: spec.members,
			staff: staff.length,
			pastSales: spec.pastSales,
			ledgerEntries: spec.ledgerEntries
		}
	};
}

/**
 * Lazy streams over every record type. Each method starts a fresh iteration that yields the same records in
 * the same order. history() first indexes the catalog and members (typed arrays, a few MB at chain-L).
 */
export function demoChainStreams(options: DemoOptions = {}): DemoChainStreams {
	const { seed, spec } = resolve(options);
	const header = demoChainHeader(options);
	const { levels, branches, asOf } = header;
	const catalog = () => generateCatalog({ seed, spec, levels, asOf });
	const members = () => generateMembers({ seed, count: spec.members, levels, branches, asOf });
	let indexes: { catalog: CatalogIndex; members: MemberIndex } | undefined;
	const history = () => {
		indexes ??= {
			catalog: indexCatalog(catalog(), spec.skus, levels),
			members: indexMembers(members(), spec.members, levels, branches)
		};
		return generateHistory({ seed, spec, branches, asOf, ...indexes });
	};
	return {
		header,
		catalog,
		members,
		stock: () => generateStock({ seed, skuCount: spec.skus, branches, asOf }),
		history,
		*pastSales() {
			for (const record of history()) if (record.type === 'sale') yield record.sale;
		},
		*ledgerEntries() {
			for (const record of history()) if (record.type === 'ledger') yield record.entry;
		}
	};
}

/**
 * The whole chain as one object: what `npm run seed -- --scale demo` writes as chain.json. Works for any scale
 * but holds everything in memory; for chain-M/chain-L use demoChainStreams().
 */
export function generateDemoChain(options: DemoOptions = {}): DemoChain {
	const streams = demoChainStreams(options);
	const chain: DemoChain = {
		...streams.header,
		styles: [],
		variants: [],
		stock: [...streams.stock()],
		members: [...streams.members()],
		pastSales: [],
		ledger: []
	};
	for (const { style, variants } of streams.catalog()) {
		chain.styles.push(style);
		chain.variants.push(...variants);
	}
	for (const record of streams.history()) {
		if (record.type === 'sale') chain.pastSales.push(record.sale);
		else chain.ledger.push(record.entry);
	}
	return chain;
}

/** Past sales of a chain, streamed (see PastSale). */
export function pastSales(options: DemoOptions = {}): Generator<PastSale> {
	return demoChainStreams(options).pastSales();
}

/** Ledger entries of a chain, streamed in createdAt order (see LedgerEntry). */
export function ledgerEntries(options: DemoOptions = {}): Generator<LedgerEntry> {
	return demoChainStreams(options).ledgerEntries();
}

export { DEFAULT_DEMO_SEED, DEMO_AS_OF, SCALES, isDemoScale } from './scales';
export { DEMO_GENERATOR_VERSION, DEMO_SCALES } from './types';
export type * from './types';
