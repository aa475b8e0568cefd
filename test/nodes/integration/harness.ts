/** Runs the Chatwoot Bridge Integration node (and, end to end, the Sync node) against the sandbox Chatwoot. */
import type { INodeExecutionData } from 'n8n-workflow';

import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import { SyncWhatsAppMessage } from '../../../nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node';
import { forgetInboxes } from '../../../nodes/shared/bridge/integration/cache';
import { INTEGRATION_ATTRIBUTE } from '../../../nodes/shared/bridge/integration/config';
import { startSandbox, type InboxRecord, type Sandbox } from '../../sandbox';
import { executeContext, runNodeExecute, type FakeCredentials, type RecordedRequest } from '../../support/fakeN8n';

export const INSTANCE = 'vendas';
export const INBOX_NAME = 'WhatsApp Vendas';
export const TRIGGER_URL = 'https://n8n.example.test/webhook/5b0c2f4e-1d1a-4c8e-9f7a-0a1b2c3d4e5f/webhook';

/** The fields-mode parameters of `set` as the editor stores them (defaults of the node description). */
export const SET_DEFAULTS: Record<string, unknown> = {
	operation: 'set',
	instance: INSTANCE,
	webhookUrl: '',
	inputMode: 'fields',
	name_inbox: INBOX_NAME,
	enabled: true,
	auto_create: true,
	sign_msg: false,
	reopen_conversation: true,
	conversation_pending: false,
	ignore_groups: false,
	ignore_jids: '',
	additionalFields: {},
};

export type Parameters = Record<string, unknown>;

export interface RunOptions {
	continueOnFail?: boolean;
	credentials?: Partial<FakeCredentials>;
	/** Parameters per input item; the default is one item. */
	items?: Parameters[];
	/** Replaces the context's getCredentials (e.g. to make it throw). */
	getCredentials?: (type: string) => Promise<unknown>;
}

export interface Harness {
	sb: Sandbox;
	credentials: FakeCredentials;
	requests: RecordedRequest[];
	/** Runs one operation; `parameters` are merged over the operation's defaults. */
	run(operation: 'set' | 'list' | 'delete', parameters?: Parameters, options?: RunOptions): Promise<INodeExecutionData[]>;
	/** Runs and returns the error the node threw (fails the test when it did not throw). */
	fail(operation: 'set' | 'list' | 'delete', parameters?: Parameters, options?: RunOptions): Promise<Error & { httpCode?: string | null; description?: string }>;
	/** The Sync WhatsApp Message node on one gateway body. */
	sync(body: unknown, parameters?: Parameters): Promise<INodeExecutionData[]>;
	/** POST/PATCH/PUT/DELETE requests the sandbox received since the last resetCounts(). */
	writes(): number;
	inbox(id: number): InboxRecord | undefined;
	inboxNamed(name: string): InboxRecord[];
	/** Our record on an inbox (raw, as stored). */
	recordOn(id: number): Record<string, unknown> | undefined;
	close(): Promise<void>;
}

const DEFAULTS: Record<string, Parameters> = {
	set: SET_DEFAULTS,
	list: { operation: 'list', instance: INSTANCE, options: {} },
	delete: { operation: 'delete', instance: INSTANCE },
};

export async function startHarness(): Promise<Harness> {
	const sb = await startSandbox();
	const credentials: FakeCredentials = { baseUrl: sb.baseUrl, accountId: sb.accountId, apiAccessToken: sb.tokens.admin };
	const requests: RecordedRequest[] = [];

	const run: Harness['run'] = async (operation, parameters = {}, options = {}) => {
		const perItem = options.items ?? [{}];
		const ctx = executeContext({
			credentials: { ...credentials, ...options.credentials },
			items: perItem.map(() => ({ json: {} })),
			continueOnFail: options.continueOnFail,
			log: requests,
			parameters: (index) => ({ ...DEFAULTS[operation], ...parameters, ...perItem[index] }),
		});
		if (options.getCredentials) ctx.getCredentials = options.getCredentials as typeof ctx.getCredentials;
		return await runNodeExecute(new ChatwootBridgeIntegration(), ctx, `chatwootBridgeIntegration ${operation}`);
	};

	return {
		sb,
		credentials,
		requests,
		run,
		async fail(operation, parameters, options) {
			try {
				await run(operation, parameters, options);
			} catch (error) {
				return error as Error & { httpCode?: string | null; description?: string };
			}
			throw new Error(`${operation} did not fail`);
		},
		async sync(body, parameters = {}) {
			const ctx = executeContext({
				credentials,
				items: [{ json: { body } as never }],
				log: requests,
				parameters: { operation: 'sync', whatsappEvent: body, gateway: 'auto', instance: INSTANCE, options: {}, ...parameters },
			});
			return await runNodeExecute(new SyncWhatsAppMessage(), ctx, 'syncWhatsAppMessage');
		},
		writes() {
			return Object.entries(sb.requestCounts)
				.filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key))
				.reduce((sum, [, count]) => sum + count, 0);
		},
		inbox(id) {
			return sb.state.inboxes.find((inbox) => inbox.id === id);
		},
		inboxNamed(name) {
			return sb.state.inboxes.filter((inbox) => inbox.name === name);
		},
		recordOn(id) {
			const attributes = sb.state.inboxes.find((inbox) => inbox.id === id)?.additional_attributes as
				| Record<string, unknown>
				| undefined;
			return attributes?.[INTEGRATION_ATTRIBUTE] as Record<string, unknown> | undefined;
		},
		async close() {
			forgetInboxes(`${sb.baseUrl}|${sb.accountId}`);
			await sb.close();
		},
	};
}

/** A pause long enough for ISO timestamps (ms resolution) to differ. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
