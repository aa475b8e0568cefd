import { chatwootMarkdownToWhatsApp, whatsAppToChatwootMarkdown } from '../../../nodes/shared/bridge/formatting';
import { sample } from '../chatwoot-webhook/fixtures';

describe('chatwootMarkdownToWhatsApp', () => {
	it.each([
		// emphasis
		['bold', '**bold**', '*bold*'],
		['bold with underscores', '__bold__', '*bold*'],
		['italic with a star', '*italic*', '_italic_'],
		['italic with an underscore', '_italic_', '_italic_'],
		['strike', '~~strike~~', '~strike~'],
		['bold italic', '***both***', '*_both_*'],
		['italic inside bold', '**a *b* c**', '*a _b_ c*'],
		['bold inside italic', '_a **b** c_', '_a *b* c_'],
		['two bold spans on a line', '**a** and **b**', '*a* and *b*'],
		['bold followed by punctuation', '**Código de rastreio:** BR1', '*Código de rastreio:* BR1'],
		['accented words', 'Olá **Maria**, tudo *bem*?', 'Olá *Maria*, tudo _bem_?'],
		['emphasis does not cross lines', '**a\nb**', '**a\nb**'],
		// things that must not change
		['math', '2*3*4 = 24', '2*3*4 = 24'],
		['spaced stars', 'a * b * c', 'a * b * c'],
		['stars inside a word', 'foo**bar**baz', 'foo**bar**baz'],
		['snake_case names', 'set max_retry_count and __init__ ok', 'set max_retry_count and *init* ok'],
		['a single snake_case name', 'call user_id_here now', 'call user_id_here now'],
		['a bare URL with markers', 'see https://x.example/a_b_c*d*e?q=_x_ ok', 'see https://x.example/a_b_c*d*e?q=_x_ ok'],
		['a URL in bold', '**https://x.example/a_b**', '*https://x.example/a_b*'],
		['a URL before punctuation', 'Veja https://x.example/p_1.', 'Veja https://x.example/p_1.'],
		['an unmatched star', 'rated 5* today', 'rated 5* today'],
		['plain text', 'Oi! Tudo certo?', 'Oi! Tudo certo?'],
		// code
		['inline code stays inline code', 'run `npm i` now', 'run `npm i` now'],
		['no formatting inside inline code', '`a *b* __c__`', '`a *b* __c__`'],
		['a code span holding a backtick', '``a`b``', '```a`b```'],
		['a fenced block, language dropped', '```js\nconst a = 1 * 2;\n```', '```\nconst a = 1 * 2;\n```'],
		['no formatting inside a fenced block', 'x\n```\n**not bold**\n- item\n```\ny', 'x\n```\n**not bold**\n- item\n```\ny'],
		['an unclosed fence runs to the end', '```\ncode *x*', '```\ncode *x*\n```'],
		['WhatsApp-style triple backticks on one line', '```code```', '`code`'],
		// links and mentions
		['a link', '[Rastreio](https://t.example/BR1)', 'Rastreio (https://t.example/BR1)'],
		['a link whose text is its URL', '[https://t.example](https://t.example)', 'https://t.example'],
		['a link with a title', '[docs](https://d.example "Docs")', 'docs (https://d.example)'],
		['a link with parentheses in the URL', '[wiki](https://w.example/Foo_(bar))', 'wiki (https://w.example/Foo_(bar))'],
		['a link with bold text', '[**Pague aqui**](https://p.example/x_y)', '*Pague aqui* (https://p.example/x_y)'],
		['a mailto link showing the address', '[a@b.example](mailto:a@b.example)', 'a@b.example'],
		['a mailto link with other text', '[write us](mailto:a@b.example)', 'write us (a@b.example)'],
		['an autolink', '<https://x.example/a_b_>', 'https://x.example/a_b_'],
		['an image', '![](https://i.example/p.png)', 'https://i.example/p.png'],
		['a mention', 'oi [@Carlos](mention://user/5/Carlos)!', 'oi @Carlos!'],
		['a mention with an underscore', '[@ana_paula_](mention://user/7/ana_paula_)', '@ana_paula_'],
		['a team mention without @', '[Vendas](mention://team/2/Vendas)', '@Vendas'],
		// escapes and breaks
		['escaped stars', '\\*not italic\\*', '*not italic*'],
		['escaped underscores from the editor', 'snake\\_case and https://x.example/a\\_b', 'snake_case and https://x.example/a_b'],
		['an escaped backslash', 'C:\\\\temp', 'C:\\temp'],
		['an escaped bracket is no link', '\\[x\\](y)', '[x](y)'],
		['a hard break', 'linha 1\\\nlinha 2', 'linha 1\nlinha 2'],
		['CRLF', 'a\r\nb', 'a\nb'],
		// blocks
		['a heading', '# Pedido enviado', '*Pedido enviado*'],
		['a heading with bold inside', '## **Pedido** enviado ##', '*Pedido enviado*'],
		['a hashtag is no heading', '#4521 enviado', '#4521 enviado'],
		['an escaped heading', '\\# não é título', '# não é título'],
		['star and plus bullets become dashes', '- um\n* dois\n+ três', '- um\n- dois\n- três'],
		['a nested bullet with bold', '* item\n  * **sub**', '- item\n  - *sub*'],
		['numbered lists stay', '1. **um**\n2. dois', '1. *um*\n2. dois'],
		['quotes stay', '> *citação*', '> _citação_'],
		['a thematic break', 'a\n\n* * *\n\nb', 'a\n\n---\n\nb'],
		['empty', '', ''],
		['private-use characters survive', 'a\uE000b \uE003 0 \uE004', 'a\uE000b \uE003 0 \uE004'],
	])('%s', (_, markdown, whatsapp) => {
		expect(chatwootMarkdownToWhatsApp(markdown)).toBe(whatsapp);
	});

	it('converts the content of the outgoing text sample', () => {
		expect(chatwootMarkdownToWhatsApp(sample('message_created.outgoing_text.json').content)).toBe(
			'Olá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
		);
	});

	it('converts the mention of the private note sample', () => {
		expect(chatwootMarkdownToWhatsApp(sample('message_created.private_note.json').content)).toBe(
			'Cliente já reclamou do atraso ontem, priorizar. @Carlos pode verificar com a transportadora?',
		);
	});
});

describe('whatsAppToChatwootMarkdown', () => {
	it.each([
		['bold', '*bold*', '**bold**'],
		['italic', '_italic_', '*italic*'],
		['strike', '~strike~', '~~strike~~'],
		['monospace', '```mono```', '`mono`'],
		['multi-line monospace becomes a fenced block', '```a\nb```', '```\na\nb\n```'],
		['a multi-line block inside a line gets lines of its own', 'x ```a\nb``` y', 'x \n```\na\nb\n```\n y'],
		['inline code stays', '`code`', '`code`'],
		['no formatting inside monospace', '```*a* _b_```', '`*a* _b_`'],
		['bold italic', '*_both_*', '***both***'],
		['two bold spans', '*a* and *b*', '**a** and **b**'],
		['accented words', 'Oi *Joana*, _obrigada_!', 'Oi **Joana**, *obrigada*!'],
		['math is escaped so Chatwoot shows it literally', '2*3*4', '2\\*3\\*4'],
		['double stars stay literal', '**x**', '\\*\\*x\\*\\*'],
		['a star bullet stays a bullet', '* item *b*', '* item **b**'],
		['snake_case', 'user_id_here', 'user_id_here'],
		['URLs are untouched', 'https://x.example/a_b_c', 'https://x.example/a_b_c'],
		['quotes and lists stay', '> oi\n- um\n1. dois', '> oi\n- um\n1. dois'],
		['empty', '', ''],
	])('%s', (_, whatsapp, markdown) => {
		expect(whatsAppToChatwootMarkdown(whatsapp)).toBe(markdown);
	});

	it.each(['**bold**', '*italic*', '~~strike~~', '`code`', '**a** and *b*'])('round-trips %s', (markdown) => {
		expect(whatsAppToChatwootMarkdown(chatwootMarkdownToWhatsApp(markdown))).toBe(markdown);
	});
});

describe('linear time on hostile input', () => {
	// Chatwoot allows 150,000 characters (docs/chatwoot-behaviour.md, Limits); the trigger answers within 5 s (§5.3).
	const N = 150_000;
	it.each([
		['unclosed stars', '*a '.repeat(N / 3)],
		['unclosed underscores', '_a '.repeat(N / 3)],
		['unclosed bold', '**a '.repeat(N / 4)],
		['open brackets', '['.repeat(N)],
		['a heading of spaces', `# ${' '.repeat(N)}a`],
		['a URL of dots', `https://${'.'.repeat(N)}`],
		['mixed markers', '*_~`[('.repeat(N / 6)],
	])('%s', (_, text) => {
		const started = Date.now();
		chatwootMarkdownToWhatsApp(text);
		whatsAppToChatwootMarkdown(text);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
