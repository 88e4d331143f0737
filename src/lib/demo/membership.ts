/** The demo chain's membership programme: four levels, points, stored-value tiers, plans and gifts. */
import { fen } from '../domain/money';
import type { MembershipConfig } from '../domain/members/config';
import type { PaidPlan } from '../domain/members/types';
import type { Gift, GiftStockMovement } from '../domain/ledger/gifts';

export function demoMembership(): MembershipConfig {
	return {
		levels: [
			{
				id: 'lvl-regular',
				name: '普通会员',
				rank: 0,
				qualifyBy: 'spend',
				threshold: 0,
				discountBp: 0,
				pointsMultiplierBp: 10000,
				birthdayBonusPoints: 100,
				perks: []
			},
			{
				id: 'lvl-silver',
				name: '银卡会员',
				rank: 1,
				qualifyBy: 'spend',
				threshold: 100000,
				discountBp: 0,
				pointsMultiplierBp: 12000,
				birthdayBonusPoints: 200,
				perks: ['免费修改裤长']
			},
			{
				id: 'lvl-gold',
				name: '金卡会员',
				rank: 2,
				qualifyBy: 'spend',
				threshold: 300000,
				discountBp: 0,
				pointsMultiplierBp: 15000,
				birthdayBonusPoints: 500,
				perks: ['免费修改裤长', '免费熨烫']
			},
			{
				id: 'lvl-diamond',
				name: '钻石会员',
				rank: 3,
				qualifyBy: 'spend',
				threshold: 800000,
				discountBp: 0,
				pointsMultiplierBp: 20000,
				birthdayBonusPoints: 1000,
				perks: ['免费修改裤长', '免费熨烫', '新品优先试穿']
			}
		],
		levelPolicy: { windowDays: 365, graceDays: 30 },
		earn: {
			rate: { points: 1, perFen: 100 },
			excludeStoredValue: false,
			excludePoints: true,
			newArrivalMultiplierBp: 20000,
			noEarnCategoryIds: []
		},
		behaviour: { enrolment: 50, profileCompleted: 100, birthday: 0, birthdayWindow: 'month' },
		pointsExpiry: { months: 12, endOfMonth: true },
		pointsTender: { rate: { points: 100, fen: 100 }, maxShareBp: 5000, step: 1 },
		topUpTiers: [
			{ minAmount: fen(50000), bonus: fen(5000) },
			{ minAmount: fen(100000), bonus: fen(15000) },
			{ minAmount: fen(200000), bonus: fen(40000) }
		],
		storedValueSpendOrder: 'principalFirst',
		bonusExpiry: null,
		firstPurchaseReward: {
			name: '新会员首单立减',
			kind: 'spendSave',
			threshold: fen(10000),
			save: fen(1000)
		},
		remindDays: 30,
		utcOffsetMinutes: 480
	};
}

export function demoPlans(): PaidPlan[] {
	return [
		{
			id: 'plan-month',
			name: '月卡会员',
			period: 'monthly',
			price: fen(1900),
			discountBp: 500,
			pointsMultiplierBp: 15000,
			perks: ['包邮'],
			active: true
		},
		{
			id: 'plan-year',
			name: '年卡会员',
			period: 'annual',
			price: fen(19900),
			discountBp: 1000,
			pointsMultiplierBp: 20000,
			perks: ['包邮', '生日礼包'],
			active: true
		}
	];
}

export function demoGifts(branchIds: string[], asOf: number): { gifts: Gift[]; stock: GiftStockMovement[] } {
	const gifts: Gift[] = [
		{
			id: 'gift-bag',
			name: '帆布购物袋',
			pointsPrice: 500,
			cashPrice: fen(0),
			lowStockThreshold: 5,
			active: true
		},
		{
			id: 'gift-socks',
			name: '纯棉袜三双装',
			pointsPrice: 800,
			cashPrice: fen(0),
			lowStockThreshold: 5,
			active: true
		},
		{
			id: 'gift-scarf',
			name: '羊毛围巾',
			pointsPrice: 1000,
			cashPrice: fen(1000),
			lowStockThreshold: 3,
			active: true
		},
		{
			id: 'gift-umbrella',
			name: '晴雨伞',
			pointsPrice: 1500,
			cashPrice: fen(0),
			lowStockThreshold: 3,
			active: true
		}
	];
	const stock: GiftStockMovement[] = [];
	for (const branchId of branchIds)
		for (const [i, gift] of gifts.entries())
			stock.push({
				id: `gst-${branchId}-${gift.id}`,
				giftId: gift.id,
				branchId,
				qty: i === 3 ? 2 : 20,
				kind: 'receive',
				refId: 'opening',
				deviceId: 'seed',
				createdAt: asOf
			});
	return { gifts, stock };
}

/** Opening balances for showcase members, so the demo can pay ¥100 with points and spend stored value. */
export interface OpeningBalance {
	memberId: string;
	points: number;
	storedValue: number;
}

export function demoOpeningBalances(): OpeningBalance[] {
	return [
		{ memberId: 'mem-000001', points: 20000, storedValue: 100000 },
		{ memberId: 'mem-000002', points: 5000, storedValue: 30000 }
	];
}
