/**
 * Messages (docs/chatwoot-behaviour.md, Messages and Limits).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { api, seedChat } from './helpers';

let sb: Sandbox;
let inboxId: number;
let conversationId: number;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(async () => {
	sb.reset();
	inboxId = sb.createInbox().id;
	conversationId = (await seedChat(sb, inboxId)).conversation.id;
});

const path = () => `/conversations/${conversationId}/messages`;

it('answers with integer message_type, unix created_at, status "sent"; source_id is stored verbatim and NOT unique', async () => {
	const call = api(sb);
	const body = { content: 'Oi', message_type: 'incoming', source_id: 'WAID:ABC', echo_id: 'e1' };
	const first = await call('POST', path(), body);
	const twin = await call('POST', path(), body);
	expect(first.status).toBe(200);
	expect(first.body).toMatchObject({
		content: 'Oi',
		message_type: 0,
		status: 'sent',
		source_id: 'WAID:ABC',
		echo_id: 'e1',
		conversation_id: conversationId,
		sender: { type: 'contact' },
	});
	expect(Number.isInteger(first.body.created_at)).toBe(true);
	expect(twin.status).toBe(200);
	expect(twin.body.id).not.toBe(first.body.id);
});

it('resolves in_reply_to_external_id inside the conversation, and nulls both keys when nothing matches', async () => {
	const call = api(sb);
	const quoted = await call('POST', path(), { content: 'original', message_type: 'incoming', source_id: 'WAID:Q1' });
	const reply = await call('POST', path(), {
		content: 'reply',
		message_type: 'incoming',
		source_id: 'WAID:R1',
		content_attributes: { in_reply_to_external_id: 'WAID:Q1' },
	});
	expect(reply.body.content_attributes).toEqual({ in_reply_to_external_id: 'WAID:Q1', in_reply_to: quoted.body.id });
	const orphan = await call('POST', path(), {
		content: 'reply to unknown',
		message_type: 'incoming',
		content_attributes: JSON.stringify({ in_reply_to_external_id: 'WAID:NOPE' }),
		external_created_at: 1781791662,
	});
	expect(orphan.body.content_attributes).toEqual({
		in_reply_to_external_id: null,
		in_reply_to: null,
		external_created_at: 1781791662,
	});
});

it('accepts multipart with attachments[]; data_url redirects to the bytes; file_type comes from the MIME type', async () => {
	const form = new FormData();
	form.append('content', 'fotos');
	form.append('message_type', 'incoming');
	form.append('private', 'false');
	form.append('source_id', 'WAID:M1');
	form.append('content_attributes', '{"external_echo":false}');
	form.append('attachments[]', new Blob([Buffer.from('JPEGDATA')], { type: 'image/jpeg' }), 'photo.jpg');
	form.append('attachments[]', new Blob([Buffer.from('HEIC')], { type: 'image/heic' }), 'photo.heic');
	form.append('attachments[]', new Blob([Buffer.from('OGG')], { type: 'audio/ogg; codecs=opus' }), 'voice.ogg');
	const res = await api(sb)('POST', path(), form);
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({ content: 'fotos', private: false, source_id: 'WAID:M1', content_attributes: { external_echo: false } });
	expect(res.body.attachments.map((a: any) => [a.file_type, a.extension])).toEqual([
		['image', 'jpg'],
		['file', 'heic'],
		['audio', 'ogg'],
	]);
	const image = res.body.attachments[0];
	expect(image.data_url).toMatch(new RegExp(`^${sb.baseUrl}/rails/active_storage/blobs/redirect/.+/photo\\.jpg$`));
	const redirect = await fetch(image.data_url, { redirect: 'manual' });
	expect(redirect.status).toBe(302);
	const followed = await fetch(image.data_url);
	expect(followed.headers.get('content-type')).toBe('image/jpeg');
	expect(Buffer.from(await followed.arrayBuffer()).toString()).toBe('JPEGDATA');
});

describe('voice notes: the attachment meta the message builders write (docs/voice-notes.md)', () => {
	/** Posts one voice file and one photo with the given form fields; the attachment rows' meta, by file name. */
	async function metaAfter(fields: Record<string, string>) {
		const form = new FormData();
		form.append('message_type', 'incoming');
		for (const [name, value] of Object.entries(fields)) form.append(name, value);
		form.append('attachments[]', new Blob([Buffer.from('OGG')], { type: 'audio/ogg; codecs=opus' }), 'voice.ogg');
		form.append('attachments[]', new Blob([Buffer.from('JPEG')], { type: 'image/jpeg' }), 'photo.jpg');
		const res = await api(sb)('POST', path(), form);
		expect(res.status).toBe(200);
		const rows = sb.state.attachments.filter((row) => row.message_id === res.body.id);
		const names = sb.state.blobs;
		return Object.fromEntries(rows.map((row) => [names.find((blob) => blob.id === row.blob_id)?.filename, row.meta]));
	}

	it('is_voice_message=true (v4 tag_voice_message): the audio attachment only', async () => {
		expect(await metaAfter({ is_voice_message: 'true' })).toEqual({ 'voice.ogg': { is_voice_message: true }, 'photo.jpg': {} });
	});

	it('is_voice_message=false arrives as a string and is cast to false', async () => {
		expect(await metaAfter({ is_voice_message: 'false' })).toEqual({ 'voice.ogg': {}, 'photo.jpg': {} });
	});

	it('is_recorded_audio as a JSON list of file names (earlier builds): exactly the files it names', async () => {
		expect(await metaAfter({ is_recorded_audio: '["voice.ogg"]' })).toEqual({ 'voice.ogg': { is_recorded_audio: true }, 'photo.jpg': {} });
		expect(await metaAfter({ is_recorded_audio: '["other.ogg"]' })).toEqual({ 'voice.ogg': {}, 'photo.jpg': {} });
		expect(await metaAfter({ is_recorded_audio: 'not json' })).toEqual({ 'voice.ogg': {}, 'photo.jpg': {} });
	});

	it('both flags, as the bridge sends them: both marks on the voice file, none on the photo', async () => {
		expect(await metaAfter({ is_voice_message: 'true', is_recorded_audio: '["voice.ogg"]' })).toEqual({
			'voice.ogg': { is_voice_message: true, is_recorded_audio: true },
			'photo.jpg': {},
		});
	});
});

it('uploads with POST /upload and attaches by signed blob id', async () => {
	const form = new FormData();
	form.append('attachment', new Blob([Buffer.from('%PDF')], { type: 'application/pdf' }), 'doc.pdf');
	const upload = await api(sb)('POST', '/upload', form);
	expect(upload.status).toBe(200);
	const res = await api(sb)('POST', path(), { content: 'doc', attachments: [upload.body.blob_id] });
	expect(res.body.attachments[0]).toMatchObject({ file_type: 'file', extension: 'pdf' });
});

it('enforces the 150,000-character limit and Chatwoot\'s error shapes', async () => {
	const call = api(sb);
	const long = await call('POST', path(), { content: 'x'.repeat(150_001) });
	expect(long).toMatchObject({
		status: 422,
		body: { error: 'Validation failed: Content is too long (maximum is 150000 characters)' },
	});
	const widget = sb.createInbox({ channel: 'web_widget', name: 'Site' });
	const chat = await seedChat(sb, widget.id, '5511000000001@s.whatsapp.net');
	const incoming = await call('POST', `/conversations/${chat.conversation.id}/messages`, { content: 'x', message_type: 'incoming' });
	expect(incoming).toMatchObject({ status: 422, body: { error: 'Incoming messages are only allowed in Api inboxes' } });
});

it('floods: the 201st message of a conversation within a minute is a 422 "Too many messages"', async () => {
	const call = api(sb);
	const statuses: number[] = [];
	for (let batch = 0; batch < 10; batch++) {
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) => call('POST', path(), { content: `m${batch}-${i}`, message_type: 'incoming' })),
		);
		statuses.push(...results.map((r) => r.status));
	}
	expect(statuses.filter((s) => s === 200)).toHaveLength(200);
	const over = await call('POST', path(), { content: 'one too many', message_type: 'incoming' });
	expect(over).toMatchObject({ status: 422, body: { error: 'Validation failed: Too many messages' } });
	// The guard is per conversation.
	const other = await seedChat(sb, inboxId, '5511000000002@s.whatsapp.net');
	const fine = await call('POST', `/conversations/${other.conversation.id}/messages`, { content: 'ok' });
	expect(fine.status).toBe(200);
});

it('lists the latest 20 by default; after → up to 100 ascending; before → the 20 before', async () => {
	const call = api(sb);
	const ids: number[] = [];
	for (let i = 0; i < 30; i++) ids.push((await call('POST', path(), { content: `m${i}`, message_type: 'incoming' })).body.id);
	const latest = await call('GET', path());
	expect(latest.body.payload.map((m: any) => m.id)).toEqual(ids.slice(10));
	const after = await call('GET', `${path()}?after=${ids[4]}`);
	expect(after.body.payload.map((m: any) => m.id)).toEqual(ids.slice(5));
	const before = await call('GET', `${path()}?before=${ids[25]}`);
	expect(before.body.payload.map((m: any) => m.id)).toEqual(ids.slice(5, 25));
	// The documented way to read one message's status: after = id - 1, take the first.
	const one = await call('GET', `${path()}?after=${ids[7] - 1}`);
	expect(one.body.payload[0]).toMatchObject({ id: ids[7], status: 'sent' });
});

it('PATCH status: read → delivered is ignored, external_error is kept only with failed, API inboxes only', async () => {
	const call = api(sb);
	const message = (await call('POST', path(), { content: 'hi' })).body;
	const url = `${path()}/${message.id}`;
	expect((await call('PATCH', url, { status: 'read' })).body.status).toBe('read');
	expect((await call('PATCH', url, { status: 'delivered' })).body.status).toBe('read');
	const failed = await call('PATCH', url, { status: 'failed', external_error: 'number not on WhatsApp' });
	expect(failed.body).toMatchObject({ status: 'failed', content_attributes: { external_error: 'number not on WhatsApp' } });
	const sent = await call('PATCH', url, { status: 'sent', external_error: 'ignored' });
	expect(sent.body.content_attributes.external_error).toBeNull();

	const widget = sb.createInbox({ channel: 'web_widget', name: 'Site' });
	const chat = await seedChat(sb, widget.id, '5511000000003@s.whatsapp.net');
	const widgetMessage = (await call('POST', `/conversations/${chat.conversation.id}/messages`, { content: 'x' })).body;
	const forbidden = await call('PATCH', `/conversations/${chat.conversation.id}/messages/${widgetMessage.id}`, { status: 'read' });
	expect(forbidden).toMatchObject({ status: 403, body: { error: 'Message status update is only allowed for API inboxes' } });
});

it('DELETE is a soft delete: fixed text, content_attributes {deleted: true}, attachments gone', async () => {
	const call = api(sb);
	const form = new FormData();
	form.append('content', 'secret photo');
	form.append('content_attributes[in_reply_to]', '1');
	form.append('attachments[]', new Blob([Buffer.from('X')], { type: 'image/png' }), 'a.png');
	const message = (await call('POST', path(), form)).body;
	const res = await call('DELETE', `${path()}/${message.id}`);
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({ content: 'This message was deleted', content_attributes: { deleted: true } });
	expect(res.body.attachments).toBeUndefined();
	expect(sb.state.attachments).toHaveLength(0);
});
