/**
 * Every text the bridge writes into Chatwoot, per language, with `{placeholders}`. An integration picks a `language`
 * and may override single templates (`templates`: key → text); README "Texts and languages" lists the keys.
 */

export const LANGUAGES = ['en', 'pt-BR', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const ENGLISH = {
	location: '📍 **Location**',
	location_named: '📍 **Location: {name}**',
	live_location: '📍 **Live location**',
	live_location_named: '📍 **Live location: {name}**',
	contact_card: '👤 **{name}**: {phones}',
	contact_unnamed: 'Contact',
	contact_no_phone: 'no phone number',
	reaction: 'Reacted {emoji}',
	reaction_removed: 'Removed a reaction',
	edited: '✏️ Edited: {text}',
	edited_without_text: '✏️ Edited (the new text was not sent by the gateway)',
	deleted: '🗑️ This message was deleted on WhatsApp',
	unsupported: '[Unsupported WhatsApp message type "{type}": open WhatsApp to see it]',
	unsupported_unknown: '[Unsupported WhatsApp message type: open WhatsApp to see it]',
	media_not_attached: '[{media} could not be attached: {reason}]',
	media_not_attached_named: '[{media} "{file}" could not be attached: {reason}]',
	media_image: 'Image',
	media_video: 'Video',
	media_audio: 'Audio',
	media_voice: 'Voice message',
	media_document: 'Document',
	media_sticker: 'Sticker',
	media_other: 'Media',
	group_sender: '**{name}** ({phone}):',
	group_sender_name: '**{name}**:',
	group_sender_phone: '**{phone}**:',
	group_sender_unknown: '**Group member (name and number unknown)**:',
	poll: '📊 **Poll: {question}**\n{options}',
	poll_multiple: '📊 **Poll (several answers allowed): {question}**\n{options}',
	poll_option: '▫️ {option}',
	poll_vote: '🗳️ Voted: {options}',
	poll_vote_removed: '🗳️ Withdrew the vote',
};

export type TemplateKey = keyof typeof ENGLISH;
export type Texts = Record<TemplateKey, string>;

export const TEMPLATE_KEYS = Object.keys(ENGLISH) as TemplateKey[];

const PORTUGUESE: Texts = {
	location: '📍 **Localização**',
	location_named: '📍 **Localização: {name}**',
	live_location: '📍 **Localização em tempo real**',
	live_location_named: '📍 **Localização em tempo real: {name}**',
	contact_card: '👤 **{name}**: {phones}',
	contact_unnamed: 'Contato',
	contact_no_phone: 'sem número de telefone',
	reaction: 'Reagiu {emoji}',
	reaction_removed: 'Removeu uma reação',
	edited: '✏️ Editada: {text}',
	edited_without_text: '✏️ Editada (o gateway não enviou o novo texto)',
	deleted: '🗑️ Esta mensagem foi apagada no WhatsApp',
	unsupported: '[Tipo de mensagem do WhatsApp não suportado "{type}": abra o WhatsApp para vê-la]',
	unsupported_unknown: '[Tipo de mensagem do WhatsApp não suportado: abra o WhatsApp para vê-la]',
	media_not_attached: '[{media}: não foi possível anexar ({reason})]',
	media_not_attached_named: '[{media} "{file}": não foi possível anexar ({reason})]',
	media_image: 'Imagem',
	media_video: 'Vídeo',
	media_audio: 'Áudio',
	media_voice: 'Mensagem de voz',
	media_document: 'Documento',
	media_sticker: 'Figurinha',
	media_other: 'Mídia',
	group_sender: '**{name}** ({phone}):',
	group_sender_name: '**{name}**:',
	group_sender_phone: '**{phone}**:',
	group_sender_unknown: '**Participante do grupo (nome e número desconhecidos)**:',
	poll: '📊 **Enquete: {question}**\n{options}',
	poll_multiple: '📊 **Enquete (várias respostas permitidas): {question}**\n{options}',
	poll_option: '▫️ {option}',
	poll_vote: '🗳️ Votou: {options}',
	poll_vote_removed: '🗳️ Retirou o voto',
};

const SPANISH: Texts = {
	location: '📍 **Ubicación**',
	location_named: '📍 **Ubicación: {name}**',
	live_location: '📍 **Ubicación en tiempo real**',
	live_location_named: '📍 **Ubicación en tiempo real: {name}**',
	contact_card: '👤 **{name}**: {phones}',
	contact_unnamed: 'Contacto',
	contact_no_phone: 'sin número de teléfono',
	reaction: 'Reaccionó {emoji}',
	reaction_removed: 'Quitó una reacción',
	edited: '✏️ Editado: {text}',
	edited_without_text: '✏️ Editado (el gateway no envió el nuevo texto)',
	deleted: '🗑️ Este mensaje fue eliminado en WhatsApp',
	unsupported: '[Tipo de mensaje de WhatsApp no admitido "{type}": abre WhatsApp para verlo]',
	unsupported_unknown: '[Tipo de mensaje de WhatsApp no admitido: abre WhatsApp para verlo]',
	media_not_attached: '[{media}: no se pudo adjuntar ({reason})]',
	media_not_attached_named: '[{media} "{file}": no se pudo adjuntar ({reason})]',
	media_image: 'Imagen',
	media_video: 'Video',
	media_audio: 'Audio',
	media_voice: 'Mensaje de voz',
	media_document: 'Documento',
	media_sticker: 'Sticker',
	media_other: 'Archivo',
	group_sender: '**{name}** ({phone}):',
	group_sender_name: '**{name}**:',
	group_sender_phone: '**{phone}**:',
	group_sender_unknown: '**Miembro del grupo (nombre y número desconocidos)**:',
	poll: '📊 **Encuesta: {question}**\n{options}',
	poll_multiple: '📊 **Encuesta (se permiten varias respuestas): {question}**\n{options}',
	poll_option: '▫️ {option}',
	poll_vote: '🗳️ Votó: {options}',
	poll_vote_removed: '🗳️ Retiró su voto',
};

const BY_LANGUAGE: Record<Language, Texts> = { en: ENGLISH, 'pt-BR': PORTUGUESE, es: SPANISH };

export const ENGLISH_TEXTS: Texts = ENGLISH;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

function placeholdersOf(template: string): Set<string> {
	return new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]));
}

/**
 * Why an override cannot stand in for a template: an unknown key, a placeholder the text must keep, or one the
 * bridge never fills. `undefined` when it is fine.
 */
export function templateProblem(key: string, text: string): string | undefined {
	if (!Object.prototype.hasOwnProperty.call(ENGLISH, key)) {
		return `unknown template key (known keys: ${TEMPLATE_KEYS.join(', ')})`;
	}
	const wanted = placeholdersOf(ENGLISH[key as TemplateKey]);
	const given = placeholdersOf(text);
	const missing = [...wanted].filter((name) => !given.has(name));
	if (missing.length) return `must contain ${missing.map((name) => `{${name}}`).join(', ')}`;
	const unknown = [...given].filter((name) => !wanted.has(name));
	if (unknown.length) {
		const allowed = wanted.size ? [...wanted].map((name) => `{${name}}`).join(', ') : 'none';
		return `unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')} (allowed: ${allowed})`;
	}
	return undefined;
}

/** The texts of a language with an integration's overrides on top (overrides are validated when they are Set). */
export function textsFor(language: Language = 'en', overrides: Record<string, string> = {}): Texts {
	const texts = { ...(BY_LANGUAGE[language] ?? ENGLISH) };
	for (const key of TEMPLATE_KEYS) {
		const override = overrides[key];
		if (typeof override === 'string' && !templateProblem(key, override)) texts[key] = override;
	}
	return texts;
}

/** `{name}` → value, in one pass, so a value that itself holds `{…}` is never filled again. */
export function fill(template: string, values: Record<string, string> = {}): string {
	return template.replace(PLACEHOLDER, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole));
}
