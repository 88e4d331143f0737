/** Opening stock: one 'receive' movement per branch per SKU, streamed (1.7M rows at chain-L). */
import type { StockMovement } from '../domain/sale';
import { skuId } from './catalog';
import { deviceId } from './people';
import { createRng, weightedPicker, type Rng } from './prng';
import type { DemoBranch } from './types';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const QTY_BUCKETS = weightedPicker<readonly [number, number]>([
	[[0, 0], 4],
	[[1, 1], 6],
	[[2, 4], 40],
	[[5, 9], 35],
	[[10, 20], 15]
]);

function openingQty(rng: Rng): number {
	const [min, max] = QTY_BUCKETS(rng);
	return min === max ? min : rng.int(min, max);
}

export interface StockOptions {
	seed: string;
	skuCount: number;
	branches: readonly DemoBranch[];
	asOf: number;
}

/**
 * Opening stock as one 'receive' movement per branch per SKU, branch-major. About 4 % of SKUs are at 0 in a
 * branch (no movement at all) and 6 % at 1, so the below-zero warning is easy to demonstrate.
 */
export function* generateStock({ seed, skuCount, branches, asOf }: StockOptions): Generator<StockMovement> {
	for (const [b, branch] of branches.entries()) {
		const rng = createRng(seed).fork(`stock/${branch.code}`);
		const device = deviceId(b, 1);
		const refId = `rcv-${branch.code}-opening`;
		for (let k = 0; k < skuCount; k++) {
			const qty = openingQty(rng);
			if (qty === 0) continue;
			yield {
				id: `stk-${branch.code}-${pad(k + 1, 6)}`,
				skuId: skuId(k),
				branchId: branch.id,
				qty,
				kind: 'receive',
				refId,
				deviceId: device,
				createdAt: asOf
			};
		}
	}
}

/** The number of movements generateStock yields, without building them. */
export function countStock({ seed, skuCount, branches }: Omit<StockOptions, 'asOf'>): number {
	let count = 0;
	for (const branch of branches) {
		const rng = createRng(seed).fork(`stock/${branch.code}`);
		for (let k = 0; k < skuCount; k++) if (openingQty(rng) !== 0) count++;
	}
	return count;
}
