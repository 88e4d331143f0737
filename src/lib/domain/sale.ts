/** A completed sale as stored and printed: a snapshot that never depends on later catalog edits. */
import type { Fen } from './money';
import type { PricedLine } from './pricing/types';
import type { Tender } from './tender';

export interface SaleLine extends PricedLine {
	/** Snapshot of what was sold, for receipts and returns. */
	barcode: string;
	styleCode: string;
	name: string;
	size: string;
	color: string;
	categoryId: string;
}

export interface Sale {
	id: string;
	/** Human-readable, unique per device offline: B01-T2-20261122-0042 */
	number: string;
	chainId: string;
	branchId: string;
	deviceId: string;
	staffId: string;
	staffName: string;
	memberId?: string;
	/** Masked for anything the customer sees, e.g. 138****1234 */
	memberPhoneMasked?: string;
	createdAt: number;
	lines: SaleLine[];
	listTotal: Fen;
	discountTotal: Fen;
	roundingDiscount: Fen;
	total: Fen;
	tenders: Tender[];
	/** Cash change handed back. */
	change: Fen;
	/** Ids of manager approvals given during this sale. */
	approvalIds: string[];
	/** Lines sold below zero stock (warned at the time). */
	negativeStockSkuIds: string[];
}

export type StockMovementKind = 'sale' | 'return' | 'receive' | 'adjust';

/** Stock is append-only movements; on-hand is their fold (see stock.ts). */
export interface StockMovement {
	id: string;
	skuId: string;
	branchId: string;
	/** Signed: a sale of 2 is -2. */
	qty: number;
	kind: StockMovementKind;
	/** The sale, return, receipt or count that caused it. */
	refId: string;
	deviceId: string;
	createdAt: number;
}
