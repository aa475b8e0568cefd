// Copies node and credential icons (light and dark SVG), and each node's codex file (`<Node>.node.json`: category,
// documentation link, search aliases), next to the compiled files in dist/, where n8n looks for them.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

task('build:icons', parallel(copyNodeIcons, copyCredentialIcons, copyCodex));

function copyNodeIcons() {
	return src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
}

function copyCredentialIcons() {
	return src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
}

function copyCodex() {
	return src(path.resolve('nodes', '*', '*.node.json')).pipe(dest(path.resolve('dist', 'nodes')));
}
