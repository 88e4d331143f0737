/**
 * The relay's HTTP API (JSON), registered with BranchlineServer.addRequestHandler:
 *
 *   POST /api/enrolment-codes      owner token   {branch, role}                 -> 201 {code, expiresAt, chain, branch, role}
 *   POST /api/enrol                —             {code, deviceId, publicKeyJwk} -> 201 {token, refreshAfter, expiresAt, claims}
 *   POST /api/token/refresh        —             {deviceId, assertion}          -> 200 {token, refreshAfter, expiresAt, claims}
 *   GET  /api/devices              owner token                                  -> 200 {devices: [...]}
 *   POST /api/devices/<id>/revoke  owner token                                  -> 200 {device, closedSockets}
 *   GET  /metrics                  —   counters only, no names or secrets       -> 200 {...}
 *
 * Errors are {error: {status, message}} with a message a support person can act on.
 */
import type http from 'node:http';
import { DeviceError, type DeviceService } from '../auth/devices.js';
import type { Logger } from '../log.js';
import type { RequestHandler } from '../server.js';
import { healthReport } from '../server.js';
import { CLOSE } from '../relay/messages.js';
import type { Relay } from '../relay/relay.js';
import {
	bearerToken,
	CORS_HEADERS,
	FailureLimiter,
	HttpError,
	readJsonObject,
	sendError,
	sendJson
} from './http.js';

export interface ApiOptions {
	devices: DeviceService;
	relay: Relay;
	logger: Logger;
}

const REVOKE_PATH = /^\/api\/devices\/([^/]+)\/revoke$/;

function allow(req: http.IncomingMessage, method: 'GET' | 'POST'): void {
	const ok = method === 'GET' ? req.method === 'GET' || req.method === 'HEAD' : req.method === method;
	if (!ok) throw new HttpError(405, `use ${method}`, { Allow: method === 'GET' ? 'GET, HEAD' : 'POST' });
}

const round = (n: number) => Math.round(n * 10) / 10;

export function createApiHandler({ devices, relay, logger }: ApiOptions): RequestHandler {
	const enrolFailures = new FailureLimiter();
	const refreshFailures = new FailureLimiter();

	async function route(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
		const ip = req.socket.remoteAddress ?? 'unknown';
		if (pathname === '/api/enrolment-codes') {
			allow(req, 'POST');
			const owner = await devices.authenticateOwner(bearerToken(req));
			const body = await readJsonObject(req);
			const created = await devices.createEnrolmentCode(owner.claims, body.branch, body.role);
			logger.info('enrolment code created', {
				by: owner.claims.device,
				chain: created.chain,
				branch: created.branch,
				role: created.role
			});
			return sendJson(res, 201, created);
		}
		if (pathname === '/api/enrol') {
			allow(req, 'POST');
			enrolFailures.check(ip);
			const body = await readJsonObject(req);
			try {
				const issued = await devices.enrol(body);
				logger.info('device enrolled', {
					device: issued.claims.device,
					chain: issued.claims.chain,
					branch: issued.claims.branch,
					role: issued.claims.role
				});
				return sendJson(res, 201, issued);
			} catch (err) {
				if (err instanceof DeviceError) enrolFailures.fail(ip);
				throw err;
			}
		}
		if (pathname === '/api/token/refresh') {
			allow(req, 'POST');
			refreshFailures.check(ip);
			const body = await readJsonObject(req);
			try {
				const issued = await devices.refresh(body);
				logger.info('token refreshed', { device: issued.claims.device });
				return sendJson(res, 200, issued);
			} catch (err) {
				if (err instanceof DeviceError) refreshFailures.fail(ip);
				throw err;
			}
		}
		if (pathname === '/api/devices') {
			allow(req, 'GET');
			const owner = await devices.authenticateOwner(bearerToken(req));
			const list = await devices.list(owner.claims.chain);
			return sendJson(res, 200, {
				devices: list.map((d) => ({ ...d, connections: relay.connectionsOf(d.deviceId) }))
			});
		}
		const revoke = REVOKE_PATH.exec(pathname);
		if (revoke) {
			allow(req, 'POST');
			const owner = await devices.authenticateOwner(bearerToken(req));
			const device = await devices.revoke(owner.claims, decodeURIComponent(revoke[1] as string));
			const closedSockets = relay.disconnectDevice(device.deviceId, CLOSE.revoked, 'device revoked');
			logger.warn('device revoked', { device: device.deviceId, by: owner.claims.device, closedSockets });
			return sendJson(res, 200, { device, closedSockets });
		}
		if (pathname === '/metrics') {
			allow(req, 'GET');
			const memory = process.memoryUsage();
			const { uptimeS } = healthReport();
			return sendJson(res, 200, {
				...relay.metrics(),
				rssMb: round(memory.rss / 1048576),
				heapUsedMb: round(memory.heapUsed / 1048576),
				heapTotalMb: round(memory.heapTotal / 1048576),
				uptimeS
			});
		}
		throw new HttpError(404, `no API at ${pathname}`);
	}

	return async (req, res, pathname) => {
		if (!pathname.startsWith('/api/') && pathname !== '/metrics') return false;
		if (req.method === 'OPTIONS') {
			for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
			res.writeHead(204);
			res.end();
			return true;
		}
		try {
			await route(req, res, pathname);
		} catch (err) {
			if (err instanceof HttpError) sendError(res, err);
			else if (err instanceof DeviceError) sendError(res, new HttpError(err.status, err.message));
			else throw err;
		}
		return true;
	};
}
