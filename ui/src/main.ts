import { mount } from 'svelte';
import './fonts/fonts.css';
import './app.css';
import App from './App.svelte';

export default mount(App, { target: document.getElementById('app')! });
