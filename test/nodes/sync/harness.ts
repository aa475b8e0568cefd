/** Runs the Sync WhatsApp Message node against the sandbox Chatwoot through the n8n context double. */
import * as fs from 'fs';
import * as path from 'path';

import type { INodeExecutionData } from 'n8n-workflow';

import { SyncWhatsAppMessage } from '../../../nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node';
import { memoryFor } from '../../../nodes/shared/bridge/bridgeMemory';
import { forgetInboxes } from '../../../nodes/shared/bridge/integration/cache';
import {
	INTEGRATION_ATTRIBUTE,
	parseIntegrationSettings,
	type IntegrationSettingsInput,
} from '../../../nodes/shared/bridge/integration/config';
import { startSandbox, type Sandbox } from '../../sandbox';
import { executeContext, runNodeExecute, type FakeCredentials, type RecordedRequest } from '../../support/fakeN8n';

export const INSTANCE = 'vendas';

export function fixture(name: string): Record<string, unknown> {
	const file = path.join(__dirname, '../../fixtures/whatsapp-payloads', `${name}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function integrationRecord(settings: Partial<IntegrationSettingsInput> = {}) {
	return {
		version: 1,
		instance: INSTANCE,
		integration_id: 'int-test-1',
		created_at: '2026-01-01T00:00:00.000Z',
		updated_at: '2026-01-01T00:00:00.000Z',
		settings: parseIntegrationSettings({ name_inbox: 'WhatsApp Vendas', ...settings }),
	};
}

export interface Harness {
	sb: Sandbox;
	inboxId: number;
	credentials: FakeCredentials;
	requests: RecordedRequest[];
	run(
		bodies: unknown[],
		options?: { parameters?: Record<string, unknown>; continueOnFail?: boolean; items?: INodeExecutionData[] },
	): Promise<INodeExecutionData[]>;
	/** Forget what this process cached, as a restarted or another worker would. */
	coldStart(): void;
	close(): Promise<void>;
}

export async function startHarness(settings: Partial<IntegrationSettingsInput> = {}): Promise<Harness> {
	const sb = await startSandbox();
	const inbox = sb.createInbox({
		name: 'WhatsApp Vendas',
		additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(settings), other_tool: { keep: true } },
	});
	const credentials: FakeCredentials = {
		baseUrl: sb.baseUrl,
		accountId: sb.accountId,
		apiAccessToken: sb.tokens.admin,
	};
	const requests: RecordedRequest[] = [];
	const coldStart = () => {
		memoryFor(sb.baseUrl, sb.accountId, inbox.id).clear();
		forgetInboxes(`${sb.baseUrl}|${sb.accountId}`);
	};
	return {
		sb,
		inboxId: inbox.id,
		credentials,
		requests,
		coldStart,
		async run(bodies, options = {}) {
			const items = options.items ?? bodies.map((body) => ({ json: { body } as never }));
			const ctx = executeContext({
				credentials,
				items,
				continueOnFail: options.continueOnFail,
				log: requests,
				parameters: (index) => ({
					operation: 'sync',
					whatsappEvent: (items[index].json as { body?: unknown }).body ?? items[index].json,
					gateway: 'auto',
					instance: INSTANCE,
					options: {},
					...options.parameters,
				}),
			});
			return await runNodeExecute(new SyncWhatsAppMessage(), ctx, 'syncWhatsAppMessage');
		},
		async close() {
			coldStart();
			await sb.close();
		},
	};
}
