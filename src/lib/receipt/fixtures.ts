/** Test and demo fixtures: a fixed sale and Chinese labels, so specs and the demo register print the same receipt. */
import { fen } from '$lib/domain/money';
import type { Sale, SaleLine } from '$lib/domain/sale';
import type { ReceiptContext, ReceiptLabels, ReceiptWidth } from './layout';

/** Simplified Chinese receipt words. */
export const zhLabels: ReceiptLabels = {
	saleNumber: '单号',
	dateTime: '时间',
	cashier: '收银员',
	member: '会员',
	phone: '电话',
	levelPrice: '会员价',
	priceOverride: '改价',
	manualDiscount: '折扣',
	lineTotal: '小计',
	listTotal: '合计',
	discount: '优惠',
	rounding: '抹零',
	due: '应收',
	change: '找零',
	tenders: {
		cash: '现金',
		wechat: '微信',
		alipay: '支付宝',
		unionpay: '银联',
		storedValue: '储值',
		points: '积分'
	}
};

function saleLine(overrides: Partial<SaleLine> & Pick<SaleLine, 'lineId' | 'name'>): SaleLine {
	return {
		skuId: 'sku-1',
		barcode: '6901234567892',
		styleCode: 'T100',
		size: 'L',
		color: '白色',
		categoryId: 'tops',
		qty: 1,
		unitPrice: fen(9900),
		listTotal: fen(9900),
		adjustments: [],
		total: fen(9900),
		...overrides
	};
}

/** Two lines with level price, a promotion, 抹零; paid by WeChat and cash with change. */
export function richSale(): Sale {
	return {
		id: 'sale-1',
		number: 'B01-T2-20261122-0042',
		chainId: 'chain-1',
		branchId: 'B01',
		deviceId: 'T2',
		staffId: 'staff-1',
		staffName: '王芳',
		memberId: 'member-1',
		memberPhoneMasked: '138****5678',
		createdAt: Date.UTC(2026, 10, 22, 6, 5),
		lines: [
			saleLine({
				lineId: 'l1',
				name: '经典圆领纯棉短袖T恤（男女同款）',
				qty: 2,
				unitPrice: fen(9900),
				listTotal: fen(19800),
				adjustments: [
					{ source: { kind: 'levelPrice', levelId: 'gold' }, amount: fen(1950) },
					{ source: { kind: 'promotion', promotionId: 'p1', name: '满300减50' }, amount: fen(1234) },
					{ source: { kind: 'rounding' }, amount: fen(20) }
				],
				total: fen(16596)
			}),
			saleLine({
				lineId: 'l2',
				skuId: 'sku-2',
				name: '修身牛仔裤',
				size: '30',
				color: '深蓝',
				unitPrice: fen(25900),
				listTotal: fen(25900),
				adjustments: [
					{ source: { kind: 'promotion', promotionId: 'p1', name: '满300减50' }, amount: fen(3766) },
					{ source: { kind: 'rounding' }, amount: fen(30) }
				],
				total: fen(22104)
			})
		],
		listTotal: fen(45700),
		discountTotal: fen(6950),
		roundingDiscount: fen(50),
		total: fen(38700),
		tenders: [
			{ id: 't1', kind: 'wechat', amount: fen(20000), reference: '4200001234202611220042561234' },
			{ id: 't2', kind: 'cash', amount: fen(20000) }
		],
		change: fen(1300),
		approvalIds: [],
		negativeStockSkuIds: []
	};
}

/** One line, one cash tender, no member: small enough to compare its ESC/POS bytes in full. */
export function smallSale(): Sale {
	return {
		...richSale(),
		number: 'T2-0042',
		memberId: undefined,
		memberPhoneMasked: undefined,
		lines: [saleLine({ lineId: 'l1', name: 'T恤' })],
		listTotal: fen(9900),
		discountTotal: fen(0),
		roundingDiscount: fen(0),
		total: fen(9900),
		tenders: [{ id: 't1', kind: 'cash', amount: fen(10000) }],
		change: fen(100)
	};
}

/** A receipt context with fixed date formatting. */
export function testContext(width: ReceiptWidth, overrides: Partial<ReceiptContext> = {}): ReceiptContext {
	return {
		storeName: '衣尚',
		branchName: '朝阳店',
		labels: zhLabels,
		formatDateTime: () => '2026-11-22 14:05',
		width,
		...overrides
	};
}
