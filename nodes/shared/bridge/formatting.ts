/**
 * Chatwoot markdown ⇄ WhatsApp formatting.
 *
 * Chatwoot sends the raw composer markdown (docs/chatwoot-behaviour.md, Webhook payloads): `**bold**`,
 * `*italic*`/`_italic_`, `~~strike~~`, `` `code` ``, fenced blocks, links, mention links, CommonMark escapes and hard
 * breaks. WhatsApp knows `*bold*`, `_italic_`, `~strike~`, ```` ```monospace``` ````, and since 2024 `` `inline code`
 * ``, `- `/`* ` lists, `1. ` lists and `> ` quotes. Evolution maps the emphasis markers only (docs/peers.md, Evolution
 * API's built-in integration); here code, URLs and escapes are protected first so that nothing inside them is touched.
 *
 * Emphasis rule used both ways (stricter than CommonMark on purpose): a marker run opens only when it is not preceded
 * by a letter or digit and is followed by a non-space, and closes only when preceded by a non-space and not followed
 * by a letter or digit, on one line. So `snake_case_names`, `2*3*4`, `a * b` and URLs stay as they are.
 */

// Private-use characters stand in for converted markers and protected spans while the text is rewritten.
const BOLD = '\uE000';
const ITALIC = '\uE001';
const STRIKE = '\uE002';
const SLOT_OPEN = '\uE003';
const SLOT_CLOSE = '\uE004';
/** A backslash-escaped ASCII punctuation character `c` becomes ESCAPE_BASE + code of c until the end. */
const ESCAPE_BASE = 0xe100;
const RESERVED = /[\uE000-\uE1FF]/g;
const ESCAPED = /[\uE100-\uE17F]/g;
const SLOT = /\uE003(\d+)\uE004/g;

/** Protected spans: replaced by `SLOT_OPEN index SLOT_CLOSE`, put back verbatim at the end. */
class Slots {
	private readonly items: string[] = [];

	put(text: string): string {
		this.items.push(text);
		return `${SLOT_OPEN}${this.items.length - 1}${SLOT_CLOSE}`;
	}

	restore(text: string): string {
		let out = text;
		while (out.search(SLOT) !== -1) out = out.replace(SLOT, (_, index: string) => this.items[Number(index)]);
		return out;
	}
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const SPACE_CHAR = /\s/;

interface MarkerRun {
	start: number;
	end: number;
	canOpen: boolean;
	canClose: boolean;
}

/** The whole character (surrogate pairs included) just before / at a position, undefined at the line's edges. */
function charBefore(line: string, index: number): string | undefined {
	if (index <= 0) return undefined;
	const pair = index >= 2 && /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(line.slice(index - 2, index));
	return line.slice(pair ? index - 2 : index - 1, index);
}

function charAt(line: string, index: number): string | undefined {
	const code = line.codePointAt(index);
	return code === undefined ? undefined : String.fromCodePoint(code);
}

/** Runs of exactly `count` markers on one line, with what the boundary rule lets each of them do. */
function markerRuns(line: string, marker: string, count: number): MarkerRun[] {
	const runs: MarkerRun[] = [];
	for (let i = 0; i < line.length; ) {
		if (line[i] !== marker) {
			i++;
			continue;
		}
		let end = i;
		while (line[end] === marker) end++;
		if (end - i === count) {
			const before = charBefore(line, i);
			const after = charAt(line, end);
			runs.push({
				start: i,
				end,
				canOpen: (before === undefined || !WORD_CHAR.test(before)) && after !== undefined && !SPACE_CHAR.test(after),
				canClose: before !== undefined && !SPACE_CHAR.test(before) && (after === undefined || !WORD_CHAR.test(after)),
			});
		}
		i = end;
	}
	return runs;
}

/**
 * Rewrites `<marker × count>content<marker × count>` under the boundary rule above: each opener takes the nearest
 * closer after it, like a lazy regex, but in linear time (an agent's 150,000-character message must not stall the
 * webhook answer, docs/chatwoot-behaviour.md, Webhooks of an API inbox).
 */
function convertEmphasis(text: string, marker: string, count: number, open: string, close: string = open): string {
	const delimiter = marker.repeat(count);
	return text
		.split('\n')
		.map((line) => {
			if (!line.includes(delimiter)) return line;
			const runs = markerRuns(line, marker, count);
			const nextCloser = new Array<number>(runs.length + 1).fill(-1);
			for (let k = runs.length - 1; k >= 0; k--) nextCloser[k] = runs[k].canClose ? k : nextCloser[k + 1];
			let out = '';
			let cursor = 0;
			for (let k = 0; k < runs.length; k++) {
				if (!runs[k].canOpen) continue;
				const closer = nextCloser[k + 1];
				if (closer === -1) break;
				out += `${line.slice(cursor, runs[k].start)}${open}${line.slice(runs[k].end, runs[closer].start)}${close}`;
				cursor = runs[closer].end;
				k = closer;
			}
			return out + line.slice(cursor);
		})
		.join('\n');
}

function decodeEscapes(text: string): string {
	return text.replace(ESCAPED, (c) => String.fromCharCode(c.charCodeAt(0) - ESCAPE_BASE));
}

function encodeEscape(char: string): string {
	return String.fromCharCode(ESCAPE_BASE + char.charCodeAt(0));
}

function begin(text: string, slots: Slots): string {
	// Input that already holds our private-use characters is protected so they come back untouched.
	return text.replace(/\r\n?/g, '\n').replace(RESERVED, (c) => slots.put(c));
}

/** Bare URLs (never rewritten inside); trailing punctuation and emphasis markers stay outside. */
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>\uE003\uE004]*[^\s<>.,:;!?'")\]*_~\uE003\uE004]/giu;

function protectUrls(text: string, slots: Slots): string {
	return text.replace(BARE_URL, (url) => slots.put(decodeEscapes(url)));
}

// ---------------------------------------------------------------- Chatwoot → WhatsApp

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Fenced blocks become ```` ``` ```` blocks (WhatsApp monospace); the language tag is dropped, WhatsApp would print it. */
function protectFencedBlocks(text: string, slots: Slots): string {
	const lines = text.split('\n');
	const out: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const open = FENCE_OPEN.exec(lines[i]);
		// A backtick fence's info string cannot hold backticks: "```code```" on one line is an inline span.
		if (!open || (open[1][0] === '`' && open[2].includes('`'))) {
			out.push(lines[i]);
			continue;
		}
		const fence = open[1];
		const closing = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}[ \\t]*$`);
		const body: string[] = [];
		let j = i + 1;
		while (j < lines.length && !closing.test(lines[j])) body.push(lines[j++]);
		out.push(slots.put(`\`\`\`\n${body.join('\n')}\n\`\`\``));
		i = j; // an unclosed fence runs to the end, as in CommonMark
	}
	return out.join('\n');
}

/**
 * Inline code keeps single backticks: WhatsApp renders `` `code` `` natively since 2024, it reads the same as in
 * the Chatwoot composer, and on older clients the backticks simply show. Triple backticks only when the code itself
 * holds a backtick.
 */
function protectInlineCode(text: string, slots: Slots): string {
	return text.replace(/(?<!`)(`+)(?!`)([\s\S]+?)(?<!`)\1(?!`)/g, (_, _run: string, raw: string) => {
		const code = decodeEscapes(/^ .*[^ ].* $/s.test(raw) ? raw.slice(1, -1) : raw);
		return slots.put(code.includes('`') ? `\`\`\`${code}\`\`\`` : `\`${code}\``);
	});
}

/**
 * CommonMark escapes (`\*` → literal `*`) and hard breaks (backslash + newline → newline, docs/chatwoot-behaviour.md,
 * Webhook payloads).
 */
function encodeEscapes(text: string): string {
	return text.replace(/\\(?:([!-/:-@[-`{-~])|\n)/g, (_, char: string | undefined) => (char ? encodeEscape(char) : '\n'));
}

const LINK = /!?\[([^[\]\n]*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
const AUTOLINK = /<((?:https?|mailto|tel):[^\s<>]+)>/gi;

/** `[text](url)` → `text (url)`, just the url when the text adds nothing; mentions → `@Name`. */
function convertLinks(text: string, slots: Slots): string {
	return text
		.replace(LINK, (_, label: string, rawUrl: string) => {
			const url = decodeEscapes(rawUrl);
			const caption = label.trim();
			const plain = decodeEscapes(caption);
			if (/^mention:\/\//i.test(url)) return slots.put(plain.startsWith('@') ? plain : `@${plain}`);
			const shown = url.replace(/^(mailto|tel):/i, '');
			if (!plain || plain === url || plain === shown) return slots.put(shown);
			// The caption stays in the text so its own formatting is converted too.
			return `${caption} (${slots.put(shown)})`;
		})
		.replace(AUTOLINK, (_, url: string) => slots.put(url.replace(/^(mailto|tel):/i, '')));
}

/**
 * Line starts: thematic breaks → `---`; `* x` and `+ x` bullets → `- x`. WhatsApp renders `- ` as a list since 2024
 * and older clients show a plain dash; a leading `*` could pair with a later one into bold, a `•` would not be a list.
 */
function convertLineStarts(text: string): string {
	return text
		.replace(/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm, '---')
		.replace(/^([ \t]*)[*+-][ \t]+(?=\S)/gm, '$1- ');
}

/** `# Title` → `*Title*` (WhatsApp has no headings); bold inside the title is dropped so it does not double. */
function convertHeadings(text: string): string {
	return text.replace(/^ {0,3}#{1,6}[ \t]+(.*)$/gm, (line, rest: string) => {
		// Written without backtracking regexes: `# ` followed by a long run of spaces must stay linear.
		let title = rest.trimEnd();
		const closing = /(?:^|[ \t])#+$/.exec(title);
		if (closing) title = title.slice(0, closing.index).trimEnd();
		return title ? `${BOLD}${title.split(BOLD).join('')}${BOLD}` : line;
	});
}

export function chatwootMarkdownToWhatsApp(markdown: string): string {
	if (!markdown) return '';
	const slots = new Slots();
	let text = begin(markdown, slots);
	text = protectFencedBlocks(text, slots);
	text = text.replace(/\\`/g, encodeEscape('`'));
	text = protectInlineCode(text, slots);
	text = encodeEscapes(text);
	text = convertLinks(text, slots);
	text = protectUrls(text, slots);
	text = convertLineStarts(text);
	for (const marker of ['*', '_']) text = convertEmphasis(text, marker, 3, `${BOLD}${ITALIC}`, `${ITALIC}${BOLD}`);
	for (const marker of ['*', '_']) text = convertEmphasis(text, marker, 2, BOLD);
	for (const marker of ['*', '_']) text = convertEmphasis(text, marker, 1, ITALIC);
	text = convertEmphasis(text, '~', 2, STRIKE);
	text = convertHeadings(text);
	text = text.split(BOLD).join('*').split(ITALIC).join('_').split(STRIKE).join('~');
	return slots.restore(decodeEscapes(text));
}

// ---------------------------------------------------------------- WhatsApp → Chatwoot

/**
 * ```` ```mono``` ```` → `` `mono` `` on one line; a multi-line one becomes a fenced block on lines of its own.
 * `` `code` `` (WhatsApp 2024) is the same in markdown and is only protected.
 */
function protectMonospace(text: string, slots: Slots): string {
	return text
		.replace(/```([\s\S]+?)```/g, (_, code: string, offset: number, whole: string) => {
			if (!code.includes('\n')) return slots.put(code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``);
			const before = offset === 0 || whole[offset - 1] === '\n' ? '' : '\n';
			const end = offset + code.length + 6;
			const after = end >= whole.length || whole[end] === '\n' ? '' : '\n';
			return `${before}${slots.put(`\`\`\`\n${code.replace(/^\n|\n$/g, '')}\n\`\`\``)}${after}`;
		})
		.replace(/`[^`\n]+`/g, (code) => slots.put(code));
}

export function whatsAppToChatwootMarkdown(whatsapp: string): string {
	if (!whatsapp) return '';
	const slots = new Slots();
	let text = begin(whatsapp, slots);
	text = protectMonospace(text, slots);
	text = protectUrls(text, slots);
	text = convertEmphasis(text, '*', 1, BOLD);
	text = convertEmphasis(text, '_', 1, ITALIC);
	text = convertEmphasis(text, '~', 1, STRIKE);
	// A `*` WhatsApp shows literally (2*3*4, a lone star) would turn into emphasis in Chatwoot: escape it. A `* ` bullet
	// is a list in both and stays.
	text = text.replace(/^([ \t]*\*[ \t])|\*/gm, (star, bullet: string | undefined) => bullet ?? `\\${star}`);
	text = text.split(BOLD).join('**').split(ITALIC).join('*').split(STRIKE).join('~~');
	return slots.restore(text);
}
