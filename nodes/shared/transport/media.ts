import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { gatewayFile, type GatewayFetch } from '../bridge/gatewayMedia';
import type { LoadedMedia } from '../bridge/messagePreparation';
import { fetchWithinRules, type FetchRules, type HopAnswer, type HopRequest } from '../bridge/mediaFetch';
import { loadMedia } from '../bridge/mediaLoader';
import { invalidBody } from '../chatwoot/errors';
import type { InboundEvent } from '../whatsapp/event';
import type { GatewayAccess } from './gatewayAccess';

/**
 * Media handling shared by the Sync node and the import: the options builders set, and the loader that fetches
 * files with n8n's request helpers within the fetch rules (docs/security.md): the gateway credential only for the
 * gateway's origin, never the Chatwoot credential.
 */

export interface MediaOptionTexts {
	/** What "Binary Property" reads from, per operation. */
	binaryProperty: string;
	/** The "fail" choice of "On Media Failure": name and what happens. */
	onFailure: { name: string; description: string };
	mirrorApiSends: string;
}

export function mediaOptionProperties(texts: MediaOptionTexts): INodeProperties[] {
	return [
		{
			displayName: 'Binary Property',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: texts.binaryProperty,
		},
		{
			displayName: 'Max Media Size (MB)',
			name: 'maxMediaMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 40,
			description: 'Larger files are not uploaded (Chatwoot accepts 40 MB by default)',
		},
		{
			displayName: 'Media Download Timeout (Seconds)',
			name: 'mediaTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
		},
		{
			displayName: 'Mirror API Sends',
			name: 'mirrorApiSends',
			type: 'boolean',
			default: false,
			description: texts.mirrorApiSends,
		},
		{
			displayName: 'On Media Failure',
			name: 'onMediaFailure',
			type: 'options',
			default: 'placeholder',
			options: [
				{
					name: 'Post a Placeholder',
					value: 'placeholder',
					description: 'The message appears with a note saying why the file is missing',
				},
				{ name: texts.onFailure.name, value: 'fail', description: texts.onFailure.description },
			],
		},
	];
}

/** JSON answers of the gateway API are small; a base64 answer is 4/3 of the file plus its fields. */
function jsonCap(maxBytes: number): number {
	return Math.ceil((maxBytes * 4) / 3) + 64 * 1024;
}

/**
 * The removed "Media Download Headers" option put the gateway key into the workflow and sent it to whatever host a
 * webhook named: an old workflow that still has it stops with what to do instead.
 */
function refuseMediaHeaders(options: IDataObject): void {
	const value = options.mediaHeaders;
	if (value === undefined || value === null) return;
	const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
	if (text === '' || text === '{}') return;
	throw invalidBody(
		'options.mediaHeaders',
		'"Media Download Headers" was removed: it kept the gateway key in the workflow and sent it to any host a webhook named. Put the key into a gateway credential (Gateway Credential), which sends it to the gateway\'s own host only, and remove the option',
	);
}

/** One HTTP exchange through n8n: redirects come back to the fetch rules, the body is a stream. */
function sender(ctx: IExecuteFunctions, access: GatewayAccess | undefined, timeoutMs: number): FetchRules['send'] {
	return async (hop: HopRequest): Promise<HopAnswer> => {
		const request: IHttpRequestOptions = {
			url: hop.url,
			method: hop.method,
			...(hop.body ? { body: hop.body, json: true } : {}),
			timeout: timeoutMs,
			abortSignal: hop.signal,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		};
		const response = (
			hop.authenticated && access
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, access.credentialType, request)
				: await ctx.helpers.httpRequest(request)
		) as { statusCode: number; headers: IDataObject; body: HopAnswer['body'] };
		return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
}

/**
 * The fetch rules of one run: the gateway's origin gets its credential, its host may be private if it opts in, and
 * host names are the credential's media hosts.
 */
export function fetchRules(
	ctx: IExecuteFunctions,
	access: GatewayAccess | undefined,
	limits: { maxBytes: number; timeoutMs: number },
): FetchRules {
	return {
		...limits,
		authenticatedOrigins: access ? [access.origin] : [],
		privateHostsAllowed: access?.privateHost ? [access.privateHost] : [],
		mediaHosts: access?.mediaHosts,
		send: sender(ctx, access, limits.timeoutMs),
	};
}

function gatewayFetch(rules: FetchRules): GatewayFetch {
	return {
		json: async (url, request) => await fetchWithinRules(url, { ...rules, maxBytes: jsonCap(rules.maxBytes) }, request),
		file: async (url, trustedOrigin) =>
			await fetchWithinRules(url, {
				...rules,
				authenticatedOrigins: trustedOrigin ? [...rules.authenticatedOrigins, trustedOrigin] : rules.authenticatedOrigins,
			}),
	};
}

/**
 * The Webhook node's "Raw Body" lands in binary `data`, the media property's default name: that is the request body
 * (JSON), never the file, unless the event itself declares a JSON document.
 */
function isWebhookBody(binaryMime: string | undefined, event: InboundEvent, isRawBodyProperty: boolean): boolean {
	if (isRawBodyProperty) return true;
	const json = (mime: string | undefined) => /^application\/json\b/i.test(mime ?? '');
	return json(binaryMime) && !json(event.media?.mimeType);
}

/** The loader for one run: `itemIndex` names the input item whose binary data may hold the file (-1: none). */
export function n8nMediaLoader(
	ctx: IExecuteFunctions,
	options: IDataObject,
	access?: GatewayAccess,
	exclude?: { binaryProperty?: string },
): (event: InboundEvent, itemIndex: number) => Promise<LoadedMedia> {
	refuseMediaHeaders(options);
	const binaryName = String(options.binaryPropertyName ?? 'data');
	const maxBytes = Number(options.maxMediaMb ?? 40) * 1024 * 1024;
	const timeoutMs = Number(options.mediaTimeoutSeconds ?? 30) * 1000;
	const rules = fetchRules(ctx, access, { maxBytes, timeoutMs });
	return async (event, itemIndex) => {
		const candidate = itemIndex >= 0 ? ctx.getInputData()[itemIndex]?.binary?.[binaryName] : undefined;
		const binary = candidate && !isWebhookBody(candidate.mimeType, event, binaryName === exclude?.binaryProperty) ? candidate : undefined;
		return await loadMedia(event, {
			maxBytes,
			timeoutMs,
			download: async (url) => await fetchWithinRules(url, rules),
			fromGateway: access ? async (mediaEvent) => await gatewayFile(mediaEvent, access.api, gatewayFetch(rules)) : undefined,
			binary: binary
				? async () => ({
						data: await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryName),
						mimeType: binary.mimeType,
						fileName: binary.fileName,
					})
				: undefined,
		});
	};
}
