/**
 * Receipt document model: a pure function from a completed sale to typed blocks whose text is already laid out in
 * printer cells (58 mm = 32, 80 mm = 48). The ESC/POS encoder and the on-screen preview both render these lines
 * verbatim, so what the cashier sees is what the printer prints. Every printed word comes from `labels`.
 */
import { neg, toDecimalString, type Fen } from '$lib/domain/money';
import type { Adjustment } from '$lib/domain/pricing/types';
import type { Sale, SaleLine } from '$lib/domain/sale';
import type { Tender, TenderKind } from '$lib/domain/tender';
import { centerToWidth, padColumns, padEndToWidth, sanitizeText, wrapToWidth } from './text';

/** Paper width in millimetres. */
export type ReceiptWidth = 58 | 80;

/** Printer cells per line (font A, 12 dots) for each paper width. */
export const RECEIPT_COLUMNS = { 58: 32, 80: 48 } as const satisfies Record<ReceiptWidth, number>;

/** Every word printed on a receipt, already translated by the caller. */
export interface ReceiptLabels {
	/** 单号 */
	saleNumber: string;
	/** 时间 */
	dateTime: string;
	/** 收银员 */
	cashier: string;
	/** 会员 */
	member: string;
	/** 电话 (the store's) */
	phone: string;
	/** 会员价 */
	levelPrice: string;
	/** 改价 */
	priceOverride: string;
	/** 折扣 (manual line discount) */
	manualDiscount: string;
	/** 小计 (a line's total after its discounts) */
	lineTotal: string;
	/** 合计 */
	listTotal: string;
	/** 优惠 */
	discount: string;
	/** 抹零 */
	rounding: string;
	/** 应收 */
	due: string;
	/** 找零 */
	change: string;
	/** 现金, 微信, 支付宝, 银联, 储值, 积分 */
	tenders: Record<TenderKind, string>;
}

/** What the caller knows besides the sale. */
export interface ReceiptContext {
	storeName: string;
	branchName: string;
	address?: string;
	phone?: string;
	/** Free text under the codes; may contain newlines. */
	footer?: string;
	labels: ReceiptLabels;
	formatDateTime: (epochMs: number) => string;
	width: ReceiptWidth;
}

/** normal; bold; large = double width and height (its text is laid out in half the cells). */
export type ReceiptLineStyle = 'normal' | 'bold' | 'large';

/** One printed line, exactly as wide as the paper (or half of it for `large`). */
export interface ReceiptLine {
	text: string;
	style: ReceiptLineStyle;
}

/** A label with an amount already formatted as an exact decimal (negative for discounts). */
export interface ReceiptAmountRow {
	label: string;
	amount: string;
	emphasis?: boolean;
}

interface Laid {
	lines: ReceiptLine[];
}

/** A block of the receipt; all but the codes carry their laid-out lines. */
export type ReceiptBlock =
	| (Laid & { kind: 'heading'; text: string })
	| (Laid & { kind: 'text'; text: string })
	| (Laid & { kind: 'row'; left: string; right: string })
	| (Laid & { kind: 'separator'; style: 'single' | 'double' })
	| (Laid & {
			kind: 'item';
			name: string;
			variant: string;
			qty: number;
			unitPrice: string;
			listTotal: string;
			total: string;
			adjustments: ReceiptAmountRow[];
	  })
	| (Laid & { kind: 'totals'; rows: ReceiptAmountRow[] })
	| (Laid & { kind: 'tenders'; rows: ReceiptAmountRow[] })
	| (Laid & { kind: 'change'; label: string; amount: string })
	| { kind: 'barcode'; value: string }
	| { kind: 'qr'; value: string }
	| (Laid & { kind: 'footer'; text: string });

/** A receipt laid out for one paper width. */
export interface ReceiptDocument {
	width: ReceiptWidth;
	columns: number;
	blocks: ReceiptBlock[];
}

/** The laid-out lines of a block (none for barcode and QR code). */
export function blockLines(block: ReceiptBlock): ReceiptLine[] {
	return 'lines' in block ? block.lines : [];
}

const INDENT_VARIANT = '  ';
const INDENT_ADJUSTMENT = '    ';

/** "12.50"; the only way money becomes text here. */
function money(amount: Fen): string {
	return toDecimalString(amount);
}

/** "-12.50" for a discount of 1250 fen. */
function minus(amount: Fen): string {
	return toDecimalString(neg(amount));
}

/** 138****1234: keeps at most the first 3 and last 4 characters, whatever the caller passed. */
export function maskPhone(phone: string): string {
	const chars = Array.from(sanitizeText(phone).trim());
	const head = chars.length >= 8 ? 3 : 0;
	const tail = chars.length > 4 ? 4 : 0;
	return chars.map((c, i) => (i < head || i >= chars.length - tail ? c : '*')).join('');
}

/** ****5678: a payment reference shows only its last 4 characters (fixed mask length hides the real length). */
export function maskReference(reference: string): string {
	const chars = Array.from(sanitizeText(reference).trim());
	return '****' + (chars.length > 4 ? chars.slice(-4).join('') : '');
}

function adjustmentLabel(adjustment: Adjustment, labels: ReceiptLabels): string {
	switch (adjustment.source.kind) {
		case 'levelPrice':
			return labels.levelPrice;
		case 'priceOverride':
			return labels.priceOverride;
		case 'manual':
			return labels.manualDiscount;
		case 'promotion':
			return sanitizeText(adjustment.source.name);
		case 'rounding':
			return labels.rounding;
	}
}

function row(left: string, right: string, columns: number, style: ReceiptLineStyle = 'normal'): ReceiptLine {
	return { text: padColumns(sanitizeText(left), sanitizeText(right), columns), style };
}

function centred(text: string, cells: number, style: ReceiptLineStyle): ReceiptLine[] {
	return wrapToWidth(text, cells).map((line) => ({ text: centerToWidth(line, cells), style }));
}

function itemBlock(line: SaleLine, labels: ReceiptLabels, columns: number): ReceiptBlock {
	const name = sanitizeText(line.name);
	const variant = [line.size, line.color]
		.map((s) => sanitizeText(s).trim())
		.filter(Boolean)
		.join('/');
	const unitPrice = money(line.unitPrice);
	const adjustments = line.adjustments
		.filter((a) => a.amount !== 0)
		.map((a) => ({ label: adjustmentLabel(a, labels), amount: minus(a.amount) }));
	const qtyPrice = `${line.qty} x ${unitPrice}`;
	const lines: ReceiptLine[] = [
		...wrapToWidth(name, columns).map((text) => ({
			text: padEndToWidth(text, columns),
			style: 'normal' as const
		})),
		row(INDENT_VARIANT + (variant ? `${variant} ${qtyPrice}` : qtyPrice), money(line.listTotal), columns),
		...adjustments.map((a) => row(INDENT_ADJUSTMENT + a.label, a.amount, columns))
	];
	// The net line total only adds information when something was taken off.
	if (adjustments.length > 0)
		lines.push(row(INDENT_ADJUSTMENT + labels.lineTotal, money(line.total), columns));
	return {
		kind: 'item',
		name,
		variant,
		qty: line.qty,
		unitPrice,
		listTotal: money(line.listTotal),
		total: money(line.total),
		adjustments,
		lines
	};
}

function tenderRow(tender: Tender, labels: ReceiptLabels): ReceiptAmountRow {
	const parts = [labels.tenders[tender.kind]];
	if (tender.points !== undefined) parts.push(String(tender.points));
	if (tender.reference) parts.push(maskReference(tender.reference));
	return { label: parts.join(' '), amount: money(tender.amount) };
}

function amountRows(kind: 'totals' | 'tenders', rows: ReceiptAmountRow[], columns: number): ReceiptBlock {
	const lines = rows.map((r) => row(r.label, r.amount, columns, r.emphasis ? 'bold' : 'normal'));
	return { kind, rows, lines };
}

function separator(style: 'single' | 'double', columns: number): ReceiptBlock {
	return {
		kind: 'separator',
		style,
		lines: [{ text: (style === 'double' ? '=' : '-').repeat(columns), style: 'normal' }]
	};
}

function textRow(left: string, right: string, columns: number): ReceiptBlock {
	return { kind: 'row', left, right, lines: [row(left, right, columns)] };
}

/** Lays out a completed sale as a receipt for one paper width. */
export function buildReceiptDocument(sale: Sale, ctx: ReceiptContext): ReceiptDocument {
	const columns = RECEIPT_COLUMNS[ctx.width];
	const { labels } = ctx;
	const blocks: ReceiptBlock[] = [];
	const text = (value: string) =>
		blocks.push({ kind: 'text', text: value, lines: centred(value, columns, 'normal') });

	// Large text is double width, so it gets half the cells.
	blocks.push({ kind: 'heading', text: ctx.storeName, lines: centred(ctx.storeName, columns / 2, 'large') });
	if (ctx.branchName) text(ctx.branchName);
	if (ctx.address) text(ctx.address);
	if (ctx.phone) text(`${labels.phone} ${ctx.phone}`);
	blocks.push(separator('single', columns));

	blocks.push(textRow(labels.saleNumber, sale.number, columns));
	blocks.push(textRow(labels.dateTime, ctx.formatDateTime(sale.createdAt), columns));
	blocks.push(textRow(labels.cashier, sale.staffName, columns));
	if (sale.memberPhoneMasked) blocks.push(textRow(labels.member, maskPhone(sale.memberPhoneMasked), columns));
	blocks.push(separator('single', columns));

	for (const line of sale.lines) blocks.push(itemBlock(line, labels, columns));
	blocks.push(separator('double', columns));

	const totals: ReceiptAmountRow[] = [{ label: labels.listTotal, amount: money(sale.listTotal) }];
	if (sale.discountTotal !== 0) totals.push({ label: labels.discount, amount: minus(sale.discountTotal) });
	if (sale.roundingDiscount !== 0)
		totals.push({ label: labels.rounding, amount: minus(sale.roundingDiscount) });
	totals.push({ label: labels.due, amount: money(sale.total), emphasis: true });
	blocks.push(amountRows('totals', totals, columns));
	blocks.push(separator('single', columns));

	blocks.push(
		amountRows(
			'tenders',
			sale.tenders.map((t) => tenderRow(t, labels)),
			columns
		)
	);
	if (sale.change !== 0 || sale.tenders.some((t) => t.kind === 'cash')) {
		const amount = money(sale.change);
		blocks.push({
			kind: 'change',
			label: labels.change,
			amount,
			lines: [row(labels.change, amount, columns)]
		});
	}
	blocks.push(separator('single', columns));

	blocks.push({ kind: 'barcode', value: sale.number });
	blocks.push({ kind: 'qr', value: sale.number });
	if (ctx.footer)
		blocks.push({ kind: 'footer', text: ctx.footer, lines: centred(ctx.footer, columns, 'normal') });

	return { width: ctx.width, columns, blocks };
}
