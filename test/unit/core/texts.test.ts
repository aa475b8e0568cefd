/** The texts the bridge writes into Chatwoot, per integration language, and the template overrides' validation. */
import { draftInboundMessage, renderMediaPlaceholder } from '../../../nodes/shared/bridge/inboundContent';
import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings, readStoredIntegration } from '../../../nodes/shared/bridge/integration/config';
import { fill, LANGUAGES, TEMPLATE_KEYS, templateProblem, textsFor } from '../../../nodes/shared/bridge/texts';
import { readFileSync } from 'fs';
import { join } from 'path';

import { groupEvent, makeEvent } from './events';

const LOCATION = { latitude: -23.5613, longitude: -46.6565, name: 'MASP' };

/** What an agent reads for each kind of event, in one language. */
function rendered(language: (typeof LANGUAGES)[number]) {
	const texts = textsFor(language);
	const content = (event: Parameters<typeof draftInboundMessage>[0]) => draftInboundMessage(event, texts).content;
	return {
		location: content(makeEvent({ location: LOCATION })).split('\n')[0],
		liveLocation: content(makeEvent({ location: { ...LOCATION, name: undefined, live: true } })).split('\n')[0],
		contact: content(makeEvent({ contacts: [{ name: '', phones: [] }] })),
		reaction: content(makeEvent({ kind: 'reaction', reaction: { emoji: '👍', targetId: 'T' } })),
		reactionRemoved: content(makeEvent({ kind: 'reaction', reaction: { emoji: '', targetId: 'T' } })),
		edit: content(makeEvent({ kind: 'edit', targetId: 'T', text: 'novo' })),
		editWithoutText: content(makeEvent({ kind: 'edit', targetId: 'T' })),
		deleted: content(makeEvent({ kind: 'delete', targetId: 'T' })),
		unsupported: content(makeEvent({ unsupportedType: 'eventMessage' })),
		groupUnknown: content(groupEvent({ jid: '1@lid', lid: '1@lid' }, { text: 'oi' })).split('\n')[0],
		voice: renderMediaPlaceholder(makeEvent({ media: { kind: 'voice', mimeType: 'audio/ogg' } }), 'HTTP 404', texts),
		document: renderMediaPlaceholder(makeEvent({ media: { kind: 'document', mimeType: 'application/pdf', fileName: 'nota.pdf' } }), 'HTTP 404', texts),
	};
}

describe('texts per language', () => {
	it('English (the default) keeps the texts agents already know', () => {
		expect(rendered('en')).toEqual({
			location: '📍 **Location: MASP**',
			liveLocation: '📍 **Live location**',
			contact: '👤 **Contact**: no phone number',
			reaction: 'Reacted 👍',
			reactionRemoved: 'Removed a reaction',
			edit: '✏️ Edited: novo',
			editWithoutText: '✏️ Edited (the new text was not sent by the gateway)',
			deleted: '🗑️ This message was deleted on WhatsApp',
			unsupported: '[Unsupported WhatsApp message type "eventMessage": open WhatsApp to see it]',
			groupUnknown: '**Group member (name and number unknown)**:',
			voice: '[Voice message could not be attached: HTTP 404]',
			document: '[Document "nota.pdf" could not be attached: HTTP 404]',
		});
		expect(draftInboundMessage(makeEvent({ kind: 'delete', targetId: 'T' })).content).toBe(rendered('en').deleted);
	});

	it('Português (Brasil)', () => {
		expect(rendered('pt-BR')).toEqual({
			location: '📍 **Localização: MASP**',
			liveLocation: '📍 **Localização em tempo real**',
			contact: '👤 **Contato**: sem número de telefone',
			reaction: 'Reagiu 👍',
			reactionRemoved: 'Removeu uma reação',
			edit: '✏️ Editada: novo',
			editWithoutText: '✏️ Editada (o gateway não enviou o novo texto)',
			deleted: '🗑️ Esta mensagem foi apagada no WhatsApp',
			unsupported: '[Tipo de mensagem do WhatsApp não suportado "eventMessage": abra o WhatsApp para vê-la]',
			groupUnknown: '**Participante do grupo (nome e número desconhecidos)**:',
			voice: '[Mensagem de voz: não foi possível anexar (HTTP 404)]',
			document: '[Documento "nota.pdf": não foi possível anexar (HTTP 404)]',
		});
	});

	it('Español', () => {
		expect(rendered('es')).toEqual({
			location: '📍 **Ubicación: MASP**',
			liveLocation: '📍 **Ubicación en tiempo real**',
			contact: '👤 **Contacto**: sin número de teléfono',
			reaction: 'Reaccionó 👍',
			reactionRemoved: 'Quitó una reacción',
			edit: '✏️ Editado: novo',
			editWithoutText: '✏️ Editado (el gateway no envió el nuevo texto)',
			deleted: '🗑️ Este mensaje fue eliminado en WhatsApp',
			unsupported: '[Tipo de mensaje de WhatsApp no admitido "eventMessage": abre WhatsApp para verlo]',
			groupUnknown: '**Miembro del grupo (nombre y número desconocidos)**:',
			voice: '[Mensaje de voz: no se pudo adjuntar (HTTP 404)]',
			document: '[Documento "nota.pdf": no se pudo adjuntar (HTTP 404)]',
		});
	});

	it('every language has every key with the same placeholders as English', () => {
		for (const language of LANGUAGES) {
			const texts = textsFor(language);
			for (const key of TEMPLATE_KEYS) expect([language, key, templateProblem(key, texts[key])]).toEqual([language, key, undefined]);
		}
	});
});

describe('template overrides', () => {
	it('replace single texts on top of the language; the rest stays in that language', () => {
		const texts = textsFor('pt-BR', { deleted: '🗑️ Apagada pelo cliente', edited: '✏️ Nova versão: {text}' });
		expect(draftInboundMessage(makeEvent({ kind: 'delete', targetId: 'T' }), texts).content).toBe('🗑️ Apagada pelo cliente');
		expect(draftInboundMessage(makeEvent({ kind: 'edit', targetId: 'T', text: 'x' }), texts).content).toBe('✏️ Nova versão: x');
		expect(draftInboundMessage(makeEvent({ kind: 'reaction', reaction: { emoji: '❤️', targetId: 'T' } }), texts).content).toBe('Reagiu ❤️');
	});

	it('a value holding braces is written as it is, never filled again', () => {
		expect(fill('✏️ Edited: {text}', { text: 'use {text} or {name}' })).toBe('✏️ Edited: use {text} or {name}');
	});

	it.each([
		[{ nope: 'x' }, /^invalid body: templates\.nope: unknown template key \(known keys: location, /],
		[{ edited: '✏️ Edited' }, /^invalid body: templates\.edited: must contain \{text\}$/],
		[{ media_not_attached: '[{media}]' }, /^invalid body: templates\.media_not_attached: must contain \{reason\}$/],
		[{ deleted: 'gone {when}' }, /^invalid body: templates\.deleted: unknown placeholder \{when\} \(allowed: none\)$/],
		[{ deleted: 42 }, /^invalid body: templates\.deleted: expected string, got number$/],
		['{}', /^invalid body: templates: expected object, got string$/],
	])('Set refuses %j', (templates, message) => {
		expect(() => parseIntegrationSettings({ name_inbox: 'x', templates })).toThrow(message);
	});

	it('language: en, pt-BR or es; English when absent (records written before the setting existed)', () => {
		expect(parseIntegrationSettings({ name_inbox: 'x' })).toMatchObject({ language: 'en', templates: {} });
		expect(parseIntegrationSettings({ name_inbox: 'x', language: 'es' }).language).toBe('es');
		expect(() => parseIntegrationSettings({ name_inbox: 'x', language: 'pt' })).toThrow(
			/^invalid body: language: expected one of en, pt-BR, es$/,
		);
	});
});

describe('README "Texts and languages"', () => {
	it('lists every template key with its English text, and no other key', () => {
		const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('## Texts and languages'), readme.indexOf('## Polls, edits and voice notes'));
		const rows = [...section.matchAll(/^\| `([a-z_]+)` \| `(.*)` \|$/gm)].map((match) => [match[1], match[2].replace(/\\n/g, '\n')]);
		const english = textsFor('en');
		expect(rows).toEqual(TEMPLATE_KEYS.map((key) => [key, english[key]]));
	});
});

describe('records stored before these rules', () => {
	it('still read as configured: a window above 3650 days as 3650, an unknown language as English, unfit overrides left out', () => {
		const stored = readStoredIntegration({
			[INTEGRATION_ATTRIBUTE]: {
				version: 1,
				instance: 'vendas',
				integration_id: 'cwb-1',
				created_at: '2026-01-01T00:00:00.000Z',
				updated_at: '2026-01-01T00:00:00.000Z',
				settings: { name_inbox: 'Vendas', days_limit_import_messages: 1e20, language: 'fr', templates: { deleted: 'apagada', edited: 'sem texto', nope: 'x' } },
			},
		});
		expect(stored?.settings).toMatchObject({ days_limit_import_messages: 3650, language: 'en', templates: { deleted: 'apagada' } });
	});
});
