/**
 * A test-only workflow run by hand (`n8n execute`): one Import node per language, each importing the same four
 * Evolution history records (a named location, a photo without its file, a poll, a group message of a member known
 * only by LID) into the inbox of an instance whose integration speaks that language. What the agent reads differs by
 * language only.
 */
export const LANGUAGE_IMPORT = 'e2eLanguageImport';

export const LANGUAGE_INSTANCES = { 'pt-BR': 'e2e-idioma-pt', es: 'e2e-idioma-es' } as const;

/** 2026-01-02T10:00Z: inside a 3650-day window whatever day the suite runs. */
const AT = 1767348000;
const CUSTOMER = '5511999990007@s.whatsapp.net';
/** A group of its own per language: a group already known in another inbox of the account is another story. */
const GROUPS = { 'pt-BR': '120363000000000071@g.us', es: '120363000000000072@g.us' } as const;

export const languageRecords = (language: keyof typeof GROUPS) => [
	{
		key: { remoteJid: CUSTOMER, fromMe: false, id: 'E2ELANGLOC1' },
		pushName: 'Rita Alves',
		message: { locationMessage: { degreesLatitude: -23.5613, degreesLongitude: -46.6565, name: 'Loja Paulista' } },
		messageType: 'locationMessage',
		messageTimestamp: AT,
	},
	{
		key: { remoteJid: CUSTOMER, fromMe: false, id: 'E2ELANGIMG2' },
		pushName: 'Rita Alves',
		message: { imageMessage: { mimetype: 'image/jpeg' } },
		messageType: 'imageMessage',
		messageTimestamp: AT + 60,
	},
	{
		key: { remoteJid: CUSTOMER, fromMe: false, id: 'E2ELANGPOLL3' },
		pushName: 'Rita Alves',
		message: { pollCreationMessageV3: { name: 'Entrega?', options: [{ optionName: 'Sim' }, { optionName: 'Não' }], selectableOptionsCount: 1 } },
		messageType: 'pollCreationMessageV3',
		messageTimestamp: AT + 120,
	},
	{
		key: { remoteJid: GROUPS[language], fromMe: false, id: 'E2ELANGGRP4', participant: '77777777777777@lid' },
		message: { conversation: 'Bom dia' },
		messageType: 'conversation',
		messageTimestamp: AT + 180,
	},
];

function importNode(language: keyof typeof LANGUAGE_INSTANCES, y: number) {
	return {
		id: `e2e-language-import-${language}`,
		name: `Import (${language})`,
		type: 'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration',
		typeVersion: 1,
		position: [300, y],
		parameters: {
			operation: 'import',
			instance: LANGUAGE_INSTANCES[language],
			what: 'all',
			records: JSON.stringify(languageRecords(language)),
			gateway: 'evolution',
			days: 3650,
			requestsPerMinute: 0,
			options: {},
		},
		credentials: { chatwootBridgeApi: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API' } },
	};
}

/** Typed loosely like the examples read from JSON, so the suite's workflow list takes it as one of them. */
export function languageImportWorkflow(): { id: string; name: string; nodes: Array<Record<string, any>>; connections: Record<string, any>; [key: string]: unknown } {
	return {
		id: LANGUAGE_IMPORT,
		name: 'e2e: import in the integration\'s language',
		nodes: [
			{ id: 'e2e-language-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			importNode('pt-BR', -100),
			importNode('es', 100),
		],
		connections: {
			Start: { main: [[{ node: 'Import (pt-BR)', type: 'main', index: 0 }, { node: 'Import (es)', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
