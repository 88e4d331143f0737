/** Catalog records: styles (款) with size x colour variants (SKUs), categories and member levels. */
import type { Fen } from './money';

export type CategoryId = string;
export type StyleId = string;
export type SkuId = string;
export type LevelId = string;

export interface Category {
	id: CategoryId;
	name: string;
	parentId?: CategoryId;
}

/** A member level as far as pricing needs it (the members issue extends it). */
export interface MemberLevel {
	id: LevelId;
	name: string;
	/** Higher rank = better level. */
	rank: number;
}

export interface Style {
	id: StyleId;
	/** Human style code printed on tags, e.g. "BL26S-0012". */
	code: string;
	name: string;
	categoryId: CategoryId;
	/** e.g. "2026SS" */
	season: string;
	isNewArrival: boolean;
	/** Tax-inclusive retail price per unit. */
	retailPrice: Fen;
	/** Member-level prices (tax-inclusive), by level id. A level without an entry pays retail. */
	levelPrices: Record<LevelId, Fen>;
	/** VAT rate in basis points, informational (prices are tax-inclusive). */
	taxRateBp: number;
	/** Pinyin initials of the name, lower-case, for search (e.g. 纯棉T恤 -> "cmtx"). */
	pinyinInitials: string;
	active: boolean;
	updatedAt: number;
}

export interface Variant {
	/** SKU id. */
	id: SkuId;
	styleId: StyleId;
	/** EAN-13, UPC-A or an internal code. Unique in the chain. */
	barcode: string;
	size: string;
	color: string;
	/** Overrides the style's retail price for this variant (e.g. XXL costs more). */
	retailPrice?: Fen;
	active: boolean;
	updatedAt: number;
}
