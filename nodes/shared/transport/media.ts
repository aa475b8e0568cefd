import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { LoadedMedia } from '../bridge/inboundSync';
import { loadMedia, type DownloadResult } from '../bridge/mediaLoader';
import { invalidBody } from '../chatwoot/errors';
import type { InboundEvent } from '../whatsapp/event';

/**
 * Media handling shared by the Sync node and the import: the options builders set, and the loader that fetches
 * files with n8n's request helper (gateway file servers, not Chatwoot: no Chatwoot credential on these requests).
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
			displayName: 'Media Download Headers',
			name: 'mediaHeaders',
			type: 'json',
			default: '{}',
			description: 'Headers sent with media downloads, e.g. {"X-Api-Key": "…"} for WAHA\'s file server',
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

function parseHeaders(value: unknown): Record<string, string> {
	let parsed: unknown = value ?? '{}';
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed.trim() || '{}') as unknown;
		} catch {
			throw invalidBody('options.mediaHeaders', 'is text that is not JSON');
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalidBody('options.mediaHeaders', 'expected a JSON object of header names to values');
	}
	return Object.fromEntries(Object.entries(parsed as IDataObject).map(([name, v]) => [name, String(v)]));
}

/** The loader for one run: `itemIndex` names the input item whose binary data may hold the file (-1: none). */
export function n8nMediaLoader(
	ctx: IExecuteFunctions,
	options: IDataObject,
): (event: InboundEvent, itemIndex: number) => Promise<LoadedMedia> {
	const headers = parseHeaders(options.mediaHeaders);
	const binaryName = String(options.binaryPropertyName ?? 'data');
	const maxBytes = Number(options.maxMediaMb ?? 40) * 1024 * 1024;
	const timeoutMs = Number(options.mediaTimeoutSeconds ?? 30) * 1000;
	const download = async (url: string, requestHeaders: Record<string, string>, timeout: number): Promise<DownloadResult> => {
		const response = await ctx.helpers.httpRequest({
			url,
			headers: requestHeaders,
			timeout,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		const contentType = (response.headers as IDataObject)['content-type'];
		return {
			status: response.statusCode as number,
			contentType: contentType === undefined ? undefined : String(contentType),
			data: Buffer.from(response.body as ArrayBuffer),
		};
	};
	return async (event, itemIndex) => {
		const binary = itemIndex >= 0 ? ctx.getInputData()[itemIndex]?.binary?.[binaryName] : undefined;
		return await loadMedia(event, {
			maxBytes,
			timeoutMs,
			headers,
			download,
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
