import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { api } from './lib/api';
import { desk } from './lib/desk.svelte';
import { interceptLinks } from './lib/links';

// The webview never navigates: links go to the system browser (SECURITY.md 28).
interceptLinks(document, (url) => {
  api.openInBrowser(url).catch((err) => desk.toast('error', `Could not open the link: ${String(err?.message ?? err)}`));
});

const app = mount(App, { target: document.getElementById('app')! });
void desk.init();

export default app;
