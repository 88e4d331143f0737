import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fen } from './money';
import {
	assertNotLocked,
	atLeast,
	canWorkAt,
	defaultPermissions,
	impliedDiscountBp,
	initialPinState,
	isLocked,
	lockRemainingMs,
	makeApproval,
	recordPinFailure,
	recordPinSuccess,
	requiredApproval,
	shouldAutoLock,
	type ApprovalAction,
	type PinLockState,
	type Role,
	type Staff
} from './staff';

const staff = (id: string, role: Role, extra: Partial<Staff> = {}): Staff => ({
	id,
	name: id,
	role,
	branchIds: ['b1'],
	pinHash: 'h',
	active: true,
	...extra
});

describe('roles', () => {
	it.each([
		['cashier', 'cashier', true],
		['cashier', 'manager', false],
		['manager', 'cashier', true],
		['manager', 'owner', false],
		['owner', 'manager', true]
	] as const)('%s at least %s: %s', (role, min, expected) => {
		expect(atLeast(role, min)).toBe(expected);
	});

	it.each([
		[staff('a', 'cashier'), 'b1', true],
		[staff('a', 'cashier'), 'b2', false],
		[staff('a', 'owner', { branchIds: [] }), 'b2', true],
		[staff('a', 'manager', { active: false }), 'b1', false]
	])('canWorkAt %#', (s, branch, expected) => {
		expect(canWorkAt(s, branch)).toBe(expected);
	});
});

describe('requiredApproval', () => {
	const removeLine = (lineAgeMs: number, paymentStarted = false): ApprovalAction => ({
		kind: 'removeLine',
		lineAgeMs,
		paymentStarted
	});
	it.each([
		// action, role, required approver
		[{ kind: 'lineDiscount', bp: 0 }, 'cashier', null],
		[{ kind: 'lineDiscount', bp: 1000 }, 'cashier', null],
		[{ kind: 'lineDiscount', bp: 1001 }, 'cashier', 'manager'],
		[{ kind: 'lineDiscount', bp: 3000 }, 'cashier', 'manager'],
		[{ kind: 'lineDiscount', bp: 3000 }, 'manager', null],
		[{ kind: 'lineDiscount', bp: 3001 }, 'manager', 'owner'],
		[{ kind: 'lineDiscount', bp: 10000 }, 'cashier', 'owner'],
		[{ kind: 'lineDiscount', bp: 10000 }, 'owner', null],
		[{ kind: 'priceOverride', listPrice: fen(10000), newPrice: fen(9500) }, 'cashier', 'manager'],
		[{ kind: 'priceOverride', listPrice: fen(10000), newPrice: fen(9500) }, 'manager', null],
		[{ kind: 'priceOverride', listPrice: fen(10000), newPrice: fen(12000) }, 'manager', null],
		[{ kind: 'priceOverride', listPrice: fen(10000), newPrice: fen(6999) }, 'manager', 'owner'],
		[{ kind: 'priceOverride', listPrice: fen(10000), newPrice: fen(0) }, 'manager', 'owner'],
		[removeLine(5_000), 'cashier', null],
		[removeLine(59_999), 'cashier', null],
		[removeLine(60_000), 'cashier', 'manager'],
		[removeLine(5_000, true), 'cashier', 'manager'],
		[removeLine(5_000, true), 'manager', null],
		[{ kind: 'voidCart' }, 'cashier', 'manager'],
		[{ kind: 'voidCart' }, 'manager', null],
		[{ kind: 'openDrawer' }, 'cashier', 'manager'],
		[{ kind: 'openDrawer' }, 'owner', null]
	] as const)('%j by %s needs %s', (action, role, expected) => {
		expect(requiredApproval(action, role)).toBe(expected);
	});

	it('follows a stricter chain policy', () => {
		const strict = { ...defaultPermissions, cashierMaxDiscountBp: 0, removeLineMinRole: 'owner' as const };
		expect(requiredApproval({ kind: 'lineDiscount', bp: 1 }, 'cashier', strict)).toBe('manager');
		expect(requiredApproval(removeLine(120_000), 'manager', strict)).toBe('owner');
	});

	it.each([-1, 10001, 12.5])('refuses a discount of %s bp', (bp) => {
		expect(() => requiredApproval({ kind: 'lineDiscount', bp }, 'owner')).toThrowError(
			expect.objectContaining({ code: 'cart.badDiscount' })
		);
	});
});

describe('impliedDiscountBp', () => {
	it.each([
		[10000, 9000, 1000],
		[10000, 8999, 1001],
		[10000, 10000, 0],
		[10000, 12000, 0],
		[10000, 0, 10000],
		[999, 899, 1002],
		[0, 0, 0]
	])('%i -> %i fen is %i bp', (list, net, bp) => {
		expect(impliedDiscountBp(fen(list), fen(net))).toBe(bp);
	});

	it('never understates the discount (limits cannot be dodged by rounding)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100_000_000 }),
				fc.integer({ min: 0, max: 100_000_000 }),
				(list, net) => {
					const bp = impliedDiscountBp(fen(list), fen(net));
					const exactTimesList = Math.max(0, list - net) * 10000;
					expect(bp * list).toBeGreaterThanOrEqual(exactTimesList);
					expect((bp - 1) * list).toBeLessThan(Math.max(1, exactTimesList));
				}
			)
		);
	});
});

describe('makeApproval', () => {
	const discount: ApprovalAction = { kind: 'lineDiscount', bp: 2000 };

	it('records who approved what', () => {
		const approval = makeApproval({
			id: 'ap1',
			action: { kind: 'priceOverride', listPrice: fen(9900), newPrice: fen(8900) },
			requestedBy: staff('c1', 'cashier'),
			approver: staff('m1', 'manager'),
			now: 42,
			saleId: 's1',
			detail: { lineId: 'L1' }
		});
		expect(approval).toEqual({
			id: 'ap1',
			action: 'priceOverride',
			detail: { listPrice: '99.00', newPrice: '89.00', lineId: 'L1' },
			requestedBy: 'c1',
			approvedBy: 'm1',
			approverRole: 'manager',
			saleId: 's1',
			createdAt: 42
		});
	});

	it.each([
		['self-approval', staff('m1', 'manager'), staff('m1', 'manager'), 'staff.selfApproval'],
		['cashier approving', staff('c1', 'cashier'), staff('c2', 'cashier'), 'staff.notAllowed'],
		[
			'inactive manager',
			staff('c1', 'cashier'),
			staff('m1', 'manager', { active: false }),
			'staff.notAllowed'
		]
	])('refuses %s', (_name, requestedBy, approver, errorCode) => {
		expect(() => makeApproval({ id: 'x', action: discount, requestedBy, approver, now: 0 })).toThrowError(
			expect.objectContaining({ code: errorCode })
		);
	});

	it('tells the cashier which role is needed', () => {
		expect(() =>
			makeApproval({
				id: 'x',
				action: { kind: 'lineDiscount', bp: 5000 },
				requestedBy: staff('c1', 'cashier'),
				approver: staff('m1', 'manager'),
				now: 0
			})
		).toThrowError(
			expect.objectContaining({ params: { name: 'm1', role: 'owner', action: 'lineDiscount' } })
		);
	});
});

describe('PIN lockout', () => {
	const fail = (state: PinLockState, times: number, at: number) => {
		let s = state;
		for (let i = 0; i < times; i++) s = recordPinFailure(s, at);
		return s;
	};

	it.each([
		// failures, locked?
		[4, false],
		[5, true]
	])('%i failures -> locked: %s', (times, locked) => {
		expect(isLocked(fail(initialPinState, times, 1000), 1000)).toBe(locked);
	});

	it('locks 60 s, then doubles on each further lockout, capped at one hour', () => {
		let s = initialPinState;
		let now = 0;
		const locks: number[] = [];
		for (let round = 0; round < 9; round++) {
			s = fail(s, 5, now);
			locks.push(lockRemainingMs(s, now));
			now = s.lockedUntil as number;
			expect(isLocked(s, now - 1)).toBe(true);
			expect(isLocked(s, now)).toBe(false);
		}
		expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600].map((sec) => sec * 1000));
	});

	it('does not count attempts while locked', () => {
		const locked = fail(initialPinState, 5, 0);
		expect(recordPinFailure(locked, 30_000)).toBe(locked);
	});

	it('reports the seconds to wait', () => {
		const locked = fail(initialPinState, 5, 0);
		expect(() => assertNotLocked(locked, 500)).toThrowError(
			expect.objectContaining({ code: 'staff.locked', params: { seconds: 60 } })
		);
		expect(() => assertNotLocked(locked, 60_000)).not.toThrow();
	});

	it('a success clears the streak; so do 24 h without failures', () => {
		const once = fail(fail(initialPinState, 5, 0), 4, 60_000);
		expect(recordPinSuccess()).toEqual(initialPinState);
		expect(recordPinFailure(once, 60_000 + 86_400_000)).toEqual({
			failures: 1,
			lockouts: 0,
			lastFailureAt: 60_000 + 86_400_000
		});
		// Within 24 h the next lockout is doubled.
		expect(lockRemainingMs(recordPinFailure(once, 70_000), 70_000)).toBe(120_000);
	});
});

describe('shouldAutoLock', () => {
	it.each([
		[0, 119_999, 120_000, false],
		[0, 120_000, 120_000, true],
		[0, 999_999, 0, false],
		[5000, 1000, 120_000, false]
	])('last %i, now %i, idle %i -> %s', (last, now, idle, expected) => {
		expect(shouldAutoLock(last, now, idle)).toBe(expected);
	});
});
