/**
 * The message the live sync and the import both post for one WhatsApp event, checked as the body Chatwoot receives
 * (`POST /conversations/{id}/messages`: JSON, or a multipart form when a file rides along). Events come from the
 * gateways' documented webhook samples in test/fixtures/whatsapp-payloads.
 */
import { ExecutionCancelledError } from '../../../nodes/shared/cancellation';
import type { MessageInput } from '../../../nodes/shared/chatwoot/client';
import { messageJson, messageMultipart } from '../../../nodes/shared/chatwoot/messageBody';
import {
	MediaFailure,
	PreparedMessage,
	type LoadedMedia,
	type MediaLoader,
} from '../../../nodes/shared/bridge/messagePreparation';
import { ENGLISH_TEXTS, textsFor } from '../../../nodes/shared/bridge/texts';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { loadFixture, type FixtureFolder } from '../whatsapp/fixtures';

/** The one event a sample webhook body carries; `edit` changes the body first (as a gateway could send it). */
function eventOf(folder: FixtureFolder, name: string, edit?: (body: Record<string, any>) => void): InboundEvent {
	const body = loadFixture(folder, name);
	edit?.(body);
	const [item] = normalizeWhatsApp(body);
	if (item.type !== 'event') throw new Error(`${folder}/${name} is not a WhatsApp event`);
	return item.event;
}

/** What Chatwoot receives: its parameters (form fields are strings) and the files. */
function sentToChatwoot(input: MessageInput) {
	if (!input.attachments?.length) return { parameters: messageJson(input), files: [] };
	const { fields, files } = messageMultipart(input);
	return {
		parameters: Object.fromEntries(fields.map((field) => [field.name, field.value])),
		files: files.map((file) => ({ name: file.name, fileName: file.fileName, contentType: file.contentType, data: file.data })),
	};
}

/** Evolution sends the file inline (`base64: true` on its webhook): decoding it is the whole download. */
const inlineFile: MediaLoader = async (event) => ({
	data: Buffer.from(event.media?.base64 ?? '', 'base64'),
	contentType: event.media?.mimeType ?? 'application/octet-stream',
	fileName: event.media?.fileName ?? `${event.whatsappId}.bin`,
});

/** A loader whose download fails with `reason` (a gateway's file server down, a link expired...). */
function unreachable(reason: string): jest.Mock<Promise<LoadedMedia>, [InboundEvent]> {
	return jest.fn<Promise<LoadedMedia>, [InboundEvent]>(async () => {
		throw new Error(reason);
	});
}

const REPLY_TEXT = 'Pode ser amanhã às 10h?';
const QUOTED_ID = 'WAID:3EB0AA11BB22CC33DD4455';
const QUOTED_TEXT = 'Qual o melhor horário para a visita técnica?';

describe('a message with media', () => {
	it('an image with a caption: the caption as content and the image as the attachment, in one message', async () => {
		const event = eventOf('evolution', 'image-caption');
		const message = new PreparedMessage(event, ENGLISH_TEXTS);
		expect(await message.attachMedia(inlineFile, 'placeholder')).toBeUndefined();

		const { parameters, files } = sentToChatwoot(message.toPost());
		expect(parameters).toMatchObject({
			content: 'Esse modelo tem em azul?',
			message_type: 'incoming',
			source_id: 'WAID:3A61D0E2F4A6B8C0D2E4',
			external_created_at: '1767261630',
		});
		expect(files).toHaveLength(1);
		expect(files[0]).toMatchObject({ name: 'attachments[]', contentType: 'image/jpeg' });
		// The JPEG the customer sent, not a re-encoding: it starts with the JPEG marker FF D8.
		expect(files[0].data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
	});

	it('a voice note is tagged as a recording, so Chatwoot shows a player and not a file', async () => {
		const message = new PreparedMessage(eventOf('evolution', 'audio-voice'), ENGLISH_TEXTS);
		await message.attachMedia(async (event) => ({ ...(await inlineFile(event)), fileName: 'voz.ogg' }), 'placeholder');
		const { parameters, files } = sentToChatwoot(message.toPost());
		expect(parameters.is_voice_message).toBe('true');
		expect(JSON.parse(parameters.is_recorded_audio as string)).toEqual(['voz.ogg']);
		expect(files.map((file) => file.contentType)).toEqual(['audio/ogg; codecs=opus']);
	});

	it('a file the gateway cannot hand over: the caption stays and a line says what is missing and why', async () => {
		const message = new PreparedMessage(eventOf('waha', 'image-caption'), ENGLISH_TEXTS);
		const reason = await message.attachMedia(unreachable('the WAHA file server answered 404'), 'placeholder');
		expect(reason).toBe('the WAHA file server answered 404');
		const { parameters, files } = sentToChatwoot(message.toPost());
		expect(files).toEqual([]);
		expect(parameters.content).toBe(
			'Esse modelo tem em azul?\n\n[Image could not be attached: the WAHA file server answered 404]',
		);
	});

	it('the placeholder speaks the integration language', async () => {
		const message = new PreparedMessage(eventOf('waha', 'image-caption'), textsFor('pt-BR'));
		await message.attachMedia(unreachable('404'), 'placeholder');
		expect(sentToChatwoot(message.toPost()).parameters.content).toBe(
			'Esse modelo tem em azul?\n\n[Imagem: não foi possível anexar (404)]',
		);
	});

	it('with "fail" on media failure nothing is posted: the error names the WhatsApp message', async () => {
		const message = new PreparedMessage(eventOf('waha', 'image-caption'), ENGLISH_TEXTS);
		const failure = message.attachMedia(unreachable('timed out after 30 s'), 'fail');
		await expect(failure).rejects.toBeInstanceOf(MediaFailure);
		await expect(failure).rejects.toThrow(
			'WhatsApp message 3A61D0E2F4A6B8C0D2E4: media could not be attached: timed out after 30 s',
		);
	});

	it('a Stop while the file downloads ends the work: no placeholder message is posted for it', async () => {
		const message = new PreparedMessage(eventOf('waha', 'image-caption'), ENGLISH_TEXTS);
		const stopped = jest.fn(async (): Promise<LoadedMedia> => {
			throw new ExecutionCancelledError();
		});
		await expect(message.attachMedia(stopped, 'placeholder')).rejects.toBeInstanceOf(ExecutionCancelledError);
		expect(message.toPost().content).toBe('Esse modelo tem em azul?');
	});

	it('a message without media never asks for a download', async () => {
		const loader = unreachable('must not be called');
		const message = new PreparedMessage(eventOf('cloud-api', 'text'), ENGLISH_TEXTS);
		expect(await message.attachMedia(loader, 'fail')).toBeUndefined();
		expect(loader).not.toHaveBeenCalled();
		expect(sentToChatwoot(message.toPost()).parameters.content).toBe('Olá! Vocês entregam no sábado?');
	});
});

describe('a reply', () => {
	it('in the conversation that holds the quoted message: linked by its source id, text unchanged', () => {
		const message = new PreparedMessage(eventOf('evolution', 'reply'), ENGLISH_TEXTS);
		const { parameters } = sentToChatwoot(message.toPost((sourceId) => sourceId === QUOTED_ID));
		expect(parameters).toMatchObject({
			content: REPLY_TEXT,
			content_attributes: { in_reply_to_external_id: QUOTED_ID },
		});
	});

	it('where the quoted message is not (a new conversation, or another one): the quoted text is shown above', () => {
		const message = new PreparedMessage(eventOf('waha', 'reply'), ENGLISH_TEXTS);
		const expected = { content: `> ${QUOTED_TEXT}\n\n${REPLY_TEXT}`, content_attributes: { in_reply_to_external_id: QUOTED_ID } };
		expect(sentToChatwoot(message.toPost()).parameters).toMatchObject(expected);
		expect(sentToChatwoot(message.toPost((sourceId) => sourceId === 'WAID:SOMETHING-ELSE')).parameters).toMatchObject(expected);
	});

	it('the Cloud API sends only the quoted id: the link is kept and no empty quote is added', () => {
		const message = new PreparedMessage(eventOf('cloud-api', 'reply'), ENGLISH_TEXTS);
		const { parameters } = sentToChatwoot(message.toPost());
		expect(parameters.content).toBe(REPLY_TEXT);
		expect(parameters.content_attributes).toEqual({
			in_reply_to_external_id: 'WAID:wamid.GA01NTExOTk5OTkwMDAxFQIAEhgUM0VCMEFBMTFCQjIyQ0MzM0RENDQA',
		});
	});

	it('a reply with a file keeps both the file and the quote', async () => {
		const event = eventOf('evolution', 'image-caption', (body) => {
			body.data.contextInfo = { stanzaId: '3EB0AA11BB22CC33DD4455', quotedMessage: { conversation: QUOTED_TEXT } };
		});
		const message = new PreparedMessage(event, ENGLISH_TEXTS);
		await message.attachMedia(inlineFile, 'placeholder');
		const { parameters, files } = sentToChatwoot(message.toPost());
		expect(files).toHaveLength(1);
		expect(parameters.content).toBe(`> ${QUOTED_TEXT}\n\nEsse modelo tem em azul?`);
		expect(JSON.parse(parameters.content_attributes as string)).toEqual({ in_reply_to_external_id: QUOTED_ID });
	});
});

describe('what only WhatsApp can show', () => {
	it('a location: its name, address and a map link an agent can open', () => {
		const message = new PreparedMessage(eventOf('cloud-api', 'location'), ENGLISH_TEXTS);
		expect(sentToChatwoot(message.toPost()).parameters.content).toBe(
			'📍 **Location: MASP**\nAv. Paulista, 1578 - Bela Vista, São Paulo - SP\nhttps://www.google.com/maps?q=-23.561684,-46.655981',
		);
	});

	it('a type Chatwoot cannot show (Cloud API `unsupported`): a readable line instead of nothing', async () => {
		const event = eventOf('cloud-api', 'text', (body) => {
			const m = body.entry[0].changes[0].value.messages[0];
			delete m.text;
			Object.assign(m, { type: 'unsupported', unsupported: { type: 'video_note' }, errors: [{ code: 131051, title: 'Message type unknown' }] });
		});
		const message = new PreparedMessage(event, ENGLISH_TEXTS);
		expect(await message.attachMedia(unreachable('must not be called'), 'fail')).toBeUndefined();
		expect(sentToChatwoot(message.toPost()).parameters).toMatchObject({
			content: '[Unsupported WhatsApp message type "video_note": open WhatsApp to see it]',
			message_type: 'incoming',
		});
	});

	it('a message typed on the business phone is outgoing and marked as an echo of the native app', () => {
		const message = new PreparedMessage(eventOf('evolution', 'fromMe'), ENGLISH_TEXTS);
		expect(sentToChatwoot(message.toPost()).parameters).toMatchObject({
			content: 'Sim! Entregamos no sábado das 8h às 12h.',
			message_type: 'outgoing',
			source_id: 'WAID:3AA5B4C6D8E0F2A4B6C8',
			content_attributes: { external_echo: true },
		});
	});
});
