/** A paced Import of many plain Evolution text records, as the pacing tests run it against the sandbox. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import { executeContext, runNodeExecute, type ExecuteContextOptions } from '../../support/fakeN8n';
import { INSTANCE, type Harness } from './harness';

const NOW = Math.floor(Date.now() / 1000);

/** `perChat` text messages in each of `chats` chats, one second apart, within the last hour. */
export function textRecords(chats: number, perChat: number, idPrefix: string, phonePrefix: string): IDataObject[] {
	return Array.from({ length: chats }, (_, chat) =>
		Array.from({ length: perChat }, (_, message) => ({
			key: { remoteJid: `${phonePrefix}${String(chat).padStart(5, '0')}@s.whatsapp.net`, fromMe: false, id: `${idPrefix}${chat}M${message}` },
			pushName: `Contato ${chat}`,
			message: { conversation: `mensagem ${message}` },
			messageType: 'conversation',
			messageTimestamp: NOW - 3600 + message,
		})),
	).flat();
}

/** Runs Import of `records` (one input item) at `requestsPerMinute`; `context` adds to the fake n8n's options. */
export async function runPacedImport(
	h: Harness,
	records: IDataObject[],
	requestsPerMinute: number,
	context: Partial<ExecuteContextOptions> = {},
): Promise<INodeExecutionData[]> {
	const ctx = executeContext({
		credentials: h.credentials,
		items: [{ json: { records } as unknown as IDataObject }],
		parameters: {
			operation: 'import',
			instance: INSTANCE,
			what: 'all',
			records,
			gateway: 'evolution',
			days: 0,
			requestsPerMinute,
			options: {},
		},
		...context,
	});
	return await runNodeExecute(new ChatwootBridgeIntegration(), ctx, 'chatwootBridgeIntegration import');
}
