import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BranchlineDb } from './db';
import { deleteMemberData, editMember, enrolMember } from './members';
import { useFreshDb } from './freshDb.testing';

let db: BranchlineDb;
useFreshDb('members-storage', (fresh) => (db = fresh));

const outboxOf = async (table: string) =>
	(await db.outbox.where('table').equals(table).toArray()).map((r) => r.recordId).sort();

describe('deleting a member’s personal data (PIPL)', () => {
	it('blanks the profile and its history and queues both for the other branches', async () => {
		const member = await enrolMember(db, {
			phone: '13812345678',
			name: '王小明',
			staffId: 'st-1',
			branchId: 'br-01',
			entryLevelId: 'lv-1'
		});
		await editMember(db, member.id, { name: '王晓明', address: '上海市静安区' }, 'st-1', 480);
		const changes = await db.profileChanges.where('memberId').equals(member.id).toArray();
		expect(changes.length).toBe(2);
		await db.outbox.clear(); // as if everything so far had reached the relay

		await deleteMemberData(db, member.id);

		const after = await db.members.get(member.id);
		expect(after?.anonymizedAt).toBeTypeOf('number');
		expect(JSON.stringify(after)).not.toContain('13812345678');
		const history = await db.profileChanges.where('memberId').equals(member.id).toArray();
		expect(JSON.stringify(history)).not.toMatch(/王|上海/);
		expect(await outboxOf('members')).toEqual([member.id]);
		expect(await outboxOf('profileChanges')).toEqual(changes.map((c) => c.id).sort());
	});
});
