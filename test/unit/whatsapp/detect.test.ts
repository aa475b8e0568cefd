import { detectGateway } from '../../../nodes/shared/whatsapp/detect';
import { WhatsAppPayloadError } from '../../../nodes/shared/whatsapp/errors';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { fixtureNames, loadFixture, thrown, type FixtureFolder } from './fixtures';

const FOLDERS: Array<[FixtureFolder, string]> = [
	['evolution', 'evolution'],
	['waha', 'waha'],
	['cloud-api', 'cloud'],
	['n8n-whatsapp-trigger', 'n8nWhatsAppTrigger'],
];

describe('detectGateway', () => {
	it.each(FOLDERS)('every %s sample is detected as %s', (folder, gateway) => {
		for (const name of fixtureNames(folder)) expect([name, detectGateway(loadFixture(folder, name))]).toEqual([name, gateway]);
	});

	it('Evolution Go (whatsmeow data.Info) is read by the Evolution normalizer', () => {
		expect(detectGateway({ event: 'Message', instanceName: 'vendas', data: { Info: { ID: 'A' }, Message: {} } })).toBe('evolution');
		expect(detectGateway({ event: 'Receipt', instanceId: 'abc', data: { MessageIDs: ['A'] } })).toBe('evolution');
	});

	it('an n8n Webhook node item {headers, body} and a JSON string are unwrapped', () => {
		const body = loadFixture('waha', 'text');
		expect(detectGateway({ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body })).toBe('waha');
		expect(detectGateway(JSON.stringify(body))).toBe('waha');
		expect(normalizeWhatsApp({ headers: {}, body })).toEqual(normalizeWhatsApp(body));
	});

	it.each([null, undefined, 42, 'text', '{not json', [], [{}], {}, { event: 'x' }, { object: 'page', entry: [] }, { field: 'messages' }])(
		'%p is not detected',
		(body) => expect(detectGateway(body)).toBeUndefined(),
	);
});

describe('undetectable bodies', () => {
	it.each([
		[null, 'body'],
		[[1, 2], 'body'],
		[7, 'body'],
		[{}, 'body.event'],
		[{ foo: 1 }, 'body.event'],
		[{ event: 'message', session: 'default' }, 'body.payload'],
		[{ event: 'message', payload: {} }, 'body.session'],
		[{ event: 'messages.upsert', instance: 'vendas' }, 'body.data'],
		[{ event: 'messages.upsert', data: { key: {} } }, 'body.instance'],
		[{ object: 'whatsapp_business_account' }, 'body.entry'],
		[{ field: 'messages' }, 'body.metadata'],
	])('%p → WhatsAppPayloadError(%s)', (body, fieldPath) => {
		const error = thrown(() => normalizeWhatsApp(body));
		expect(error).toBeInstanceOf(WhatsAppPayloadError);
		expect(error).toMatchObject({ name: 'WhatsAppPayloadError', field: fieldPath });
		expect(error.message).toContain('expected an Evolution API body {event, instance, data}, a WAHA body {event, session, payload}');
	});

	it('never echoes values into the message, only key names', () => {
		const error = thrown(() => normalizeWhatsApp({ secret: 'token-123' }));
		expect(error.message).toContain('got an object with keys secret');
		expect(error.message).not.toContain('token-123');
	});

	it('a forced gateway validates that gateway’s envelope', () => {
		const error = thrown(() => normalizeWhatsApp(loadFixture('evolution', 'text'), 'waha'));
		expect(error).toMatchObject({ name: 'WhatsAppPayloadError', field: 'body.payload' });
	});
});

describe('forced gateway on another gateway’s body', () => {
	it.each([
		['waha', 'evolution', 'body.data'],
		['evolution', 'waha', 'body.payload'],
		['evolution', 'n8nWhatsAppTrigger', 'body.field'],
		['waha', 'cloud', 'body.field'],
	] as const)('%s body forced as %s → %s', (folder, gateway, fieldPath) => {
		const error = thrown(() => normalizeWhatsApp(loadFixture(folder, 'text'), gateway));
		expect(error).toMatchObject({ name: 'WhatsAppPayloadError', field: fieldPath });
	});
});
