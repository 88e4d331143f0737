/** Member look-ups the till needs (the members issue adds enrolment, ledgers and the member screen). */
import type { BranchlineDb, MemberRow } from './db';

/** By full mobile number or member code. */
export async function findMember(db: BranchlineDb, rawQuery: string): Promise<MemberRow | undefined> {
	const query = rawQuery.replace(/[\s-]/g, '');
	if (/^1\d{10}$/.test(query)) return db.members.where('phone').equals(query).first();
	if (query) return db.members.where('code').equals(query.toUpperCase()).first();
	return undefined;
}

/** 138****1234: how a phone appears on receipts and anything the customer sees. */
export function maskPhone(phone: string): string {
	return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
