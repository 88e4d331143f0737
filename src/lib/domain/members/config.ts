/**
 * The chain's membership programme in one record: levels and their rules, earning and spending of points,
 * stored-value bonuses, the first-purchase reward. Owners edit it; every till reads it.
 */
import type { BehaviourRules, EarnRules, PointsTenderPolicy } from '../ledger/points';
import type { StoredValueSpendOrder, TopUpTier } from '../ledger/storedValue';
import type { ExpiryPolicy } from '../ledger/types';
import type { FirstPurchaseReward } from './benefits';
import type { LevelPolicy, LevelRule } from './types';

export interface MembershipConfig {
	levels: LevelRule[];
	levelPolicy: LevelPolicy;
	earn: EarnRules;
	behaviour: BehaviourRules;
	/** null = points never expire. */
	pointsExpiry: ExpiryPolicy | null;
	pointsTender: PointsTenderPolicy;
	topUpTiers: TopUpTier[];
	storedValueSpendOrder: StoredValueSpendOrder;
	/** null = top-up bonus never expires. */
	bonusExpiry: ExpiryPolicy | null;
	firstPurchaseReward: FirstPurchaseReward | null;
	/** "Expiring soon" lists look this many days ahead. */
	remindDays: number;
	/** The chain's time zone as minutes east of UTC (China: 480), for birthdays, expiry and plan months. */
	utcOffsetMinutes: number;
}
