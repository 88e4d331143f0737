/** Builders shared by the member specs (test-only; nothing in the app imports this). */
import type { MemberProfile } from './types';

/** A complete profile: 王芳, 13800001234, entry level, everything at time 1; override anything. */
export function profileFixture(over: Partial<MemberProfile> = {}): MemberProfile {
	return {
		id: 'm1',
		code: 'M0001',
		phone: '13800001234',
		name: '王芳',
		gender: 'unspecified',
		birthday: '',
		address: '',
		tags: [],
		notes: '',
		homeBranchId: 'br-01',
		marketingConsent: false,
		levelId: 'lvl-regular',
		levelSince: 1,
		enrolledAt: 1,
		enrolledBy: 'stf-1',
		updatedAt: 1,
		...over
	};
}
