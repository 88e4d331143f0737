import { describe, expect, it } from 'vitest';
import { FailureLimiter, HttpError } from './http.js';

describe('FailureLimiter', () => {
	it('blocks an address after its failures, and everyone after too many overall, until the window passes', () => {
		const limiter = new FailureLimiter({ windowMs: 1000, perKey: 2, overall: 3 });
		limiter.check('a', 0);
		limiter.fail('a', 0);
		limiter.fail('a', 10);
		expect(() => limiter.check('a', 20)).toThrow(HttpError);
		expect(() => limiter.check('b', 20)).not.toThrow();
		limiter.fail('b', 30);
		expect(() => limiter.check('c', 40)).toThrow(/too many failed attempts/);
		expect(() => limiter.check('a', 1100)).not.toThrow();
	});
});
