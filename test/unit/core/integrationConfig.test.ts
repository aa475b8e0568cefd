import {
	INTEGRATION_ATTRIBUTE,
	InvalidSettingsError,
	isChatIgnored,
	parseIntegrationSettings,
	readStoredIntegration,
	withStoredIntegration,
	type StoredIntegration,
} from '../../../nodes/shared/bridge/integration/config';

function errorOf(input: unknown): InvalidSettingsError {
	try {
		parseIntegrationSettings(input);
	} catch (error) {
		return error as InvalidSettingsError;
	}
	throw new Error('expected the settings to be refused');
}

describe('parseIntegrationSettings', () => {
	it('fills every default from a name alone', () => {
		expect(parseIntegrationSettings({ name_inbox: 'Sales' })).toEqual({
			enabled: true,
			name_inbox: 'Sales',
			sign_msg: false,
			sign_delimiter: '\n',
			number: '',
			reopen_conversation: true,
			conversation_pending: false,
			import_contacts: false,
			import_messages: false,
			days_limit_import_messages: 7,
			auto_create: true,
			organization: '',
			logo: '',
			ignore_jids: [],
			ignore_groups: false,
			merge_brazil_contacts: false,
			language: 'en',
			templates: {},
		});
	});

	it('keeps given values, trimmed', () => {
		const settings = parseIntegrationSettings({
			name_inbox: '  Sales  ',
			number: ' +5511999990000 ',
			logo: 'https://cdn.example.com/logo.png',
			ignore_jids: [' 120363000000000001@g.us ', '@s.whatsapp.net', '123456789@lid'],
			days_limit_import_messages: 30,
			reopen_conversation: false,
		});
		expect(settings).toMatchObject({
			name_inbox: 'Sales',
			number: '+5511999990000',
			logo: 'https://cdn.example.com/logo.png',
			ignore_jids: ['120363000000000001@g.us', '@s.whatsapp.net', '123456789@lid'],
			days_limit_import_messages: 30,
			reopen_conversation: false,
		});
	});

	it('accepts its own output again (what is stored reads back)', () => {
		const once = parseIntegrationSettings({ name_inbox: 'Sales', ignore_jids: ['@g.us'] });
		expect(parseIntegrationSettings(once)).toEqual(once);
	});

	it.each([
		['days below 1', { days_limit_import_messages: 0 }, 'invalid body: days_limit_import_messages: must be at least 1'],
		['a fractional day count', { days_limit_import_messages: 1.5 }, /^invalid body: days_limit_import_messages: /],
		['an unknown field', { nameInbox: 'Sales' }, /^invalid body: nameInbox: unknown field/],
		['a wrong type', { enabled: 'yes' }, 'invalid body: enabled: expected boolean, got string'],
		['a number as a string', { days_limit_import_messages: '7' }, 'invalid body: days_limit_import_messages: expected number, got string'],
		['a bare number in ignore_jids', { ignore_jids: ['5511999990001'] }, /^invalid body: ignore_jids\.0: expected a WhatsApp JID/],
		['a second entry of ignore_jids', { ignore_jids: ['@g.us', 'nope@example.com'] }, /^invalid body: ignore_jids\.1: /],
		['a logo that is not a URL', { logo: 'logo.png' }, 'invalid body: logo: expected an http(s) URL'],
		['a phone number too short', { number: '12345' }, /^invalid body: number: expected a phone number in E\.164/],
		['a phone number with a leading 0', { number: '+05511999990000' }, /^invalid body: number: /],
		['a phone number with spaces', { number: '+55 11 99999 0000' }, /^invalid body: number: /],
		['an empty inbox name', { name_inbox: '   ' }, 'invalid body: name_inbox: must not be empty'],
		['a delimiter over 50 characters', { sign_delimiter: '-'.repeat(51) }, /^invalid body: sign_delimiter: /],
	])('refuses %s, naming the field', (_, fields, message) => {
		const error = errorOf({ name_inbox: 'Sales', ...fields });
		expect(error).toBeInstanceOf(InvalidSettingsError);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
	});

	it('names the missing inbox name and the body itself', () => {
		expect(errorOf({}).message).toMatch(/^invalid body: name_inbox: /);
		expect(errorOf(null).message).toMatch(/^invalid body: body: expected object/);
		expect(errorOf('Sales').field).toBe('body');
	});

	it('exposes the offending field', () => {
		expect(errorOf({ name_inbox: 'Sales', foo: 1 }).field).toBe('foo');
		expect(errorOf({ name_inbox: 'Sales', ignore_jids: ['x'] }).field).toBe('ignore_jids.0');
	});

	// The message promises an http(s) URL; Chatwoot fetches the logo as an avatar over HTTP.
	it.each(['ftp://cdn.example.com/logo.png', 'javascript:alert(1)', 'file:///etc/passwd'])(
		'refuses a logo URL that is not http(s): %s',
		(logo) => {
			expect(errorOf({ name_inbox: 'Sales', logo }).message).toBe('invalid body: logo: expected an http(s) URL');
		},
	);
});

describe('isChatIgnored', () => {
	const PHONE_CHAT = { jid: '5511999990001@s.whatsapp.net', isGroup: false };
	const GROUP = { jid: '120363000000000001@g.us', isGroup: true };
	const LID_CHAT = { jid: '123456789012345@lid', isGroup: false };
	const PHONE_CHAT_WITH_LID = { ...PHONE_CHAT, lid: '123456789012345@lid' };
	const settings = (ignore_jids: string[], ignore_groups = false) =>
		parseIntegrationSettings({ name_inbox: 'Sales', ignore_jids, ignore_groups });

	it.each([
		['ignore_groups: a group', settings([], true), GROUP, true],
		['ignore_groups: a 1:1 chat', settings([], true), PHONE_CHAT, false],
		['nothing configured', settings([]), GROUP, false],
		['an exact JID', settings(['5511999990001@s.whatsapp.net']), PHONE_CHAT, true],
		['another JID', settings(['5511999990002@s.whatsapp.net']), PHONE_CHAT, false],
		['an exact group JID', settings(['120363000000000001@g.us']), GROUP, true],
		['suffix @g.us: a group', settings(['@g.us']), GROUP, true],
		['suffix @g.us: a 1:1 chat', settings(['@g.us']), PHONE_CHAT, false],
		['suffix @s.whatsapp.net: a 1:1 chat', settings(['@s.whatsapp.net']), PHONE_CHAT, true],
		['suffix @s.whatsapp.net: a group', settings(['@s.whatsapp.net']), GROUP, false],
		['a LID entry: the chat known by that LID', settings(['123456789012345@lid']), LID_CHAT, true],
		['a LID entry: the phone chat that carries that LID', settings(['123456789012345@lid']), PHONE_CHAT_WITH_LID, true],
		['a LID entry: a phone chat without a LID', settings(['123456789012345@lid']), PHONE_CHAT, false],
		['a phone entry: a chat with another LID', settings(['5511999990002@s.whatsapp.net']), PHONE_CHAT_WITH_LID, false],
	])('%s', (_, config, chat, ignored) => {
		expect(isChatIgnored(config, chat) !== undefined).toBe(ignored);
	});

	it('says why', () => {
		expect(isChatIgnored(settings([], true), GROUP)).toMatch(/ignore_groups/);
		expect(isChatIgnored(settings(['@g.us']), GROUP)).toBe(
			'ignored: chat 120363000000000001@g.us matches ignore_jids entry @g.us',
		);
	});

	// WAHA names chats `…@c.us`; the schema accepts that form, but WAHA events are normalized to `@s.whatsapp.net`
	// (whatsapp/waha.ts), so a WAHA user's entry copied from WAHA must still hit the chat.
	it.each([
		['an exact WAHA JID', '5511999990001@c.us'],
		['the WAHA suffix for every 1:1 chat', '@c.us'],
	])('ignores the normalized chat for %s (accepted by the schema)', (_, entry) => {
		expect(isChatIgnored(settings([entry]), PHONE_CHAT)).toBeDefined();
	});
});

describe('stored integration', () => {
	const record: StoredIntegration = {
		version: 1,
		instance: 'sales',
		integration_id: 'a1b2c3',
		created_at: '2026-01-01T00:00:00.000Z',
		updated_at: '2026-01-02T00:00:00.000Z',
		settings: parseIntegrationSettings({ name_inbox: 'Sales' }),
	};

	it('reads a valid record back', () => {
		expect(readStoredIntegration({ [INTEGRATION_ATTRIBUTE]: record, other: 1 })).toEqual(record);
	});

	it('reads a removed record (no settings)', () => {
		const removed = { ...record, settings: undefined, removed_at: '2026-02-01T00:00:00.000Z' };
		expect(readStoredIntegration({ [INTEGRATION_ATTRIBUTE]: removed })).toMatchObject({ instance: 'sales', removed_at: removed.removed_at });
	});

	it.each([
		['no attributes', null],
		['undefined attributes', undefined],
		['no record', { agent_reply_time_window: 24 }],
		['a string', { [INTEGRATION_ATTRIBUTE]: 'sales' }],
		['another version', { [INTEGRATION_ATTRIBUTE]: { ...record, version: 2 } }],
		['no instance', { [INTEGRATION_ATTRIBUTE]: { ...record, instance: '' } }],
		['settings that fail validation', { [INTEGRATION_ATTRIBUTE]: { ...record, settings: { name_inbox: '' } } }],
	])('treats %s as not configured', (_, attributes) => {
		expect(readStoredIntegration(attributes as Record<string, unknown> | null | undefined)).toBeUndefined();
	});

	it('writes our record and keeps every foreign key', () => {
		const before = {
			agent_reply_time_window: 24,
			agent_reply_time_window_message: 'Fora do horário',
			[INTEGRATION_ATTRIBUTE]: { version: 1, instance: 'old' },
		};
		const snapshot = JSON.parse(JSON.stringify(before));
		const after = withStoredIntegration(before, record);
		expect(after).toEqual({
			agent_reply_time_window: 24,
			agent_reply_time_window_message: 'Fora do horário',
			[INTEGRATION_ATTRIBUTE]: record,
		});
		expect(before).toEqual(snapshot);
		expect(readStoredIntegration(after)).toEqual(record);
	});

	it('writes into empty attributes', () => {
		expect(withStoredIntegration(null, record)).toEqual({ [INTEGRATION_ATTRIBUTE]: record });
		expect(withStoredIntegration(undefined, record)).toEqual({ [INTEGRATION_ATTRIBUTE]: record });
	});
});
