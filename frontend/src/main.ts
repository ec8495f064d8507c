import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { api } from './lib/api';
import { desk } from './lib/desk.svelte';
import { interceptLinks } from './lib/links';
import { blockDropNavigation } from './lib/nodrop';

// The webview never navigates: links go to the system browser (security rule 28).
interceptLinks(document, (url) => {
  api.openInBrowser(url).catch((err) => desk.toast('error', `Could not open the link: ${String(err?.message ?? err)}`));
});

// Nor does anything dropped on the window: a dragged link or file is not opened.
blockDropNavigation(window);

const app = mount(App, { target: document.getElementById('app')! });
void desk.init();

export default app;
