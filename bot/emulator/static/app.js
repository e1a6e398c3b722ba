// The demo page: phones side by side, each a Telegram-like private chat with the bot, all through /_emu/.
"use strict";

const state = {
  info: null,
  people: [],            // {id, name, title}
  chats: new Map(),      // chat id -> Map(message id -> latest version)
  seq: 0,
  phones: [],
  keyboards: {},         // user id -> the reply keyboard under that phone's input ({rows, one_time, ...})
  visitorsUsed: new Set(),
};
const ALLOWED = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL", "CODE", "PRE", "A", "BLOCKQUOTE",
  "SPAN", "TG-SPOILER"]);
const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;
const DEFAULT_PLACE = { latitude: 34.2655, longitude: 108.9542 };

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

// A file goes as the request's body, its name and type in the query (no form encoding to parse).
async function sendFile(phone, file) {
  const query = new URLSearchParams({ user_id: phone.userId, name: file.name, type: file.type || "" });
  const response = await fetch(`/_emu/document?${query}`, { method: "POST", body: file });
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

// ---- rendering ------------------------------------------------------------------------------------------------

function linkify(text) {
  const fragment = document.createDocumentFragment();
  text.split(URL_PATTERN).forEach((part, index) => {
    if (index % 2 === 0) { if (part) fragment.append(part); return; }
    const link = document.createElement("a");
    link.textContent = part;
    link.href = part;
    const deep = part.match(/^https:\/\/t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]+)/);
    if (deep && state.info && deep[1] === state.info.bot) {
      link.dataset.start = deep[2];
      link.title = "在演示里打开：用一部手机以新访客身份点开这个链接";
    } else {
      link.target = "_blank";
      link.rel = "noopener";
    }
    fragment.append(link);
  });
  return fragment;
}

// Telegram HTML → DOM, keeping only the tags Telegram allows (the emulator already refused anything else).
function sanitize(node) {
  const fragment = document.createDocumentFragment();
  node.childNodes.forEach((child) => {
    if (child.nodeType === Node.TEXT_NODE) { fragment.append(linkify(child.textContent)); return; }
    if (child.nodeType !== Node.ELEMENT_NODE) return;
    if (!ALLOWED.has(child.tagName)) { fragment.append(sanitize(child)); return; }
    const copy = document.createElement(child.tagName === "TG-SPOILER" ? "span" : child.tagName);
    if (child.tagName === "A") {
      const href = child.getAttribute("href") || "";
      if (/^(https?:|tg:)/.test(href)) { copy.href = href; copy.target = "_blank"; copy.rel = "noopener"; }
    }
    copy.append(sanitize(child));
    fragment.append(copy);
  });
  return fragment;
}

function body(message) {
  const box = document.createElement("div");
  box.className = "msg " + (message.from_bot ? "bot" : "me");
  if (message.kind === "photo" && message.file_url) {
    const image = document.createElement("img");
    image.src = message.file_url;
    image.alt = "照片";
    box.append(image);
  } else if (message.kind === "document" && message.file_url) {
    const link = document.createElement("a");
    link.href = message.file_url;
    link.textContent = "📎 " + (message.file_name || "文件");
    link.setAttribute("download", message.file_name || "file");
    box.append(link);
  } else if (message.kind === "location" && message.location) {
    box.append(`📍 位置 ${message.location[0].toFixed(4)}, ${message.location[1].toFixed(4)}`);
  } else if (message.kind === "sticker") {
    const sticker = document.createElement("span");
    sticker.className = "sticker";
    sticker.textContent = message.emoji || "🖼";
    box.append(sticker);
  } else if (message.kind === "contact" && message.contact) {
    const card = document.createElement("span");
    card.className = "contact";
    card.textContent = `👤 ${message.contact[1]} ${message.contact[0]}`;
    box.append(card);
  }
  if (message.text) {
    if (box.childNodes.length) box.append(document.createElement("br"));
    if (message.html) {
      const parsed = new DOMParser().parseFromString(`<div>${message.html}</div>`, "text/html");
      box.append(sanitize(parsed.body.firstChild));
    } else {
      box.append(linkify(message.text));
    }
  }
  if (message.version > 0 && message.from_bot) {
    const mark = document.createElement("span");
    mark.className = "edited";
    mark.textContent = "已更新";
    box.append(mark);
  }
  return box;
}

function keyboard(phone, message) {
  const board = document.createElement("div");
  board.className = "keyboard";
  message.buttons.forEach((row) => {
    const line = document.createElement("div");
    line.className = "row";
    row.forEach((button) => {
      const element = document.createElement("button");
      element.textContent = button.label;
      if (button.url) {
        element.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
      } else {
        element.addEventListener("click", () => press(phone, message, button, element));
      }
      line.append(element);
    });
    board.append(line);
  });
  return board;
}

function renderPhone(phone) {
  const chat = phone.chat;
  const nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
  chat.replaceChildren();
  const messages = [...(state.chats.get(phone.userId) || new Map()).values()]
    .filter((m) => !m.deleted).sort((a, b) => a.message_id - b.message_id);
  if (!messages.length) {
    const empty = document.createElement("div");
    empty.className = "system";
    empty.textContent = "还没有消息。发送 /start 开始，或点 ☰ 看命令。";
    chat.append(empty);
  }
  messages.forEach((message) => {
    chat.append(body(message));
    if (message.from_bot && message.buttons.length) chat.append(keyboard(phone, message));
  });
  renderKeys(phone);
  if (nearBottom || phone.stickToBottom) { chat.scrollTop = chat.scrollHeight; phone.stickToBottom = false; }
  const person = state.people.find((p) => p.id === phone.userId);
  phone.role.textContent = person ? person.title : "";
}

// The reply keyboard under the input, as Telegram shows it; 📍 buttons (request_location) share the location.
function renderKeys(phone) {
  const keys = state.keyboards[phone.userId];
  const chat = phone.chat;
  const nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
  phone.keys.replaceChildren();
  phone.keys.hidden = !keys;
  phone.input.placeholder = (keys && keys.placeholder) || "输入消息…";
  (keys ? keys.rows : []).forEach((row) => {
    const line = document.createElement("div");
    line.className = "row";
    row.forEach((key) => {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = key.label;
      if (key.request_location) element.dataset.location = "1";
      element.addEventListener("click", () => tapKey(phone, key));
      line.append(element);
    });
    phone.keys.append(line);
  });
  if (nearBottom) chat.scrollTop = chat.scrollHeight;  // the keyboard takes room from the chat, not its end
}

// ---- acting as people -----------------------------------------------------------------------------------------

function toast(phone, text, long) {
  if (!text) return;
  phone.toast.textContent = text;
  phone.toast.hidden = false;
  clearTimeout(phone.toastTimer);
  phone.toastTimer = setTimeout(() => { phone.toast.hidden = true; }, long ? 4000 : 2200);
}

async function press(phone, message, button, element) {
  element.classList.add("busy");
  try {
    const answer = await api("/_emu/press", { user_id: phone.userId, message_id: message.message_id, data: button.data });
    toast(phone, answer.text, answer.show_alert);
  } catch (error) {
    toast(phone, "点击没有送达：" + error.message, true);
  } finally {
    element.classList.remove("busy");
  }
}

async function tapKey(phone, key) {
  phone.stickToBottom = true;
  const place = key.request_location ? (state.info.venue || DEFAULT_PLACE) : {};
  try {
    const result = await api("/_emu/key", { user_id: phone.userId, label: key.label, ...place });
    state.keyboards[phone.userId] = result.keyboard;
    renderKeys(phone);
  } catch (error) {
    toast(phone, "没有送达：" + error.message, true);
  }
}

async function send(phone, text) {
  phone.stickToBottom = true;
  try {
    await api("/_emu/send", { user_id: phone.userId, text });
  } catch (error) {
    toast(phone, "发送失败：" + error.message, true);
  }
}

async function openDeepLink(fromPhone, code) {
  // Someone new opens the invite link: the page's visitor if they have not talked to the bot yet (the server
  // knows, across reloads), else a further new person.
  const visitor = state.info.visitor;
  let person = visitor && !state.visitorsUsed.has(visitor.id) && state.people.find((p) => p.id === visitor.id);
  if (!person) {
    const others = state.people.filter((p) => p.name.startsWith("新访客")).length;
    const created = await api("/_emu/user", { name: `新访客${others + 1}` });
    person = { id: created.id, name: created.name, title: "尚未加入" };
    state.people.push(person);
    state.phones.forEach(fillSelect);
  }
  state.visitorsUsed.add(person.id);
  const target = state.phones.find((p) => p !== fromPhone && p.index === 2) || state.phones.find((p) => p !== fromPhone);
  choose(target, person.id);
  toast(target, `演示：${person.name}点开了邀请链接`, false);
  await send(target, `/start ${code}`);
}

async function toggleMenu(phone) {
  if (!phone.menu.hidden) { phone.menu.hidden = true; return; }
  const commands = await api(`/_emu/commands/${phone.userId}`);
  phone.menu.replaceChildren();
  commands.forEach((command) => {
    const item = document.createElement("button");
    const name = document.createElement("b");
    name.textContent = "/" + command.command;
    item.append(name, command.description);
    item.addEventListener("click", () => { phone.menu.hidden = true; send(phone, "/" + command.command); });
    phone.menu.append(item);
  });
  phone.menu.hidden = false;
}

// ---- phones ---------------------------------------------------------------------------------------------------

function fillSelect(phone) {
  const current = phone.userId;
  phone.select.replaceChildren();
  state.people.forEach((person) => {
    const option = document.createElement("option");
    option.value = person.id;
    option.textContent = person.title ? `${person.name}（${person.title}）` : person.name;
    phone.select.append(option);
  });
  if (current) phone.select.value = String(current);
}

function choose(phone, userId) {
  phone.userId = userId;
  phone.select.value = String(userId);
  phone.menu.hidden = true;
  phone.stickToBottom = true;
  renderPhone(phone);
}

function makePhone(index, userId) {
  const element = document.getElementById("phone-template").content.firstElementChild.cloneNode(true);
  const phone = {
    index, element, userId,
    select: element.querySelector(".who"), role: element.querySelector(".role"), chat: element.querySelector(".chat"),
    toast: element.querySelector(".toast"), menu: element.querySelector(".menu"),
    input: element.querySelector(".text"), keys: element.querySelector(".reply-keys"),
  };
  element.dataset.phone = String(index);
  fillSelect(phone);
  phone.select.addEventListener("change", () => choose(phone, Number(phone.select.value)));
  element.querySelector(".compose").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = phone.input.value.trim();
    if (!text) return;
    phone.input.value = "";
    send(phone, text);
  });
  // Enter sends, as in Telegram; Shift+Enter starts a new line, and a pasted text keeps its lines.
  phone.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      element.querySelector(".compose").requestSubmit();
    }
  });
  element.querySelector(".menu-button").addEventListener("click", () => toggleMenu(phone));
  element.querySelector(".photo").addEventListener("click", () =>
    api("/_emu/photo", { user_id: phone.userId }).catch((e) => toast(phone, e.message, true)));
  // 📎: a file from the visitor's computer, sent as a document (e.g. the roster .xlsx an officer imports).
  const picker = element.querySelector(".file-input");
  element.querySelector(".file").addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const file = picker.files[0];
    picker.value = "";
    if (file) sendFile(phone, file).catch((e) => toast(phone, e.message, true));
  });
  element.querySelector(".location").addEventListener("click", () => {
    const place = state.info.venue || DEFAULT_PLACE;
    api("/_emu/location", { user_id: phone.userId, ...place }).catch((e) => toast(phone, e.message, true));
  });
  phone.chat.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-start]");
    if (link) { event.preventDefault(); openDeepLink(phone, link.dataset.start); }
  });
  phone.toast.addEventListener("click", () => { phone.toast.hidden = true; });
  document.getElementById("phones").append(element);
  state.phones.push(phone);
  renderPhone(phone);
  return phone;
}

// ---- clock and time travel ------------------------------------------------------------------------------------

function showClock(clock) {
  document.getElementById("clock").textContent = clock.text;
  document.getElementById("shifted").textContent = clock.shifted_hours ? `（已快进 ${clock.shifted_hours} 小时）` : "";
}

function setUpTravel() {
  document.querySelectorAll(".travel button").forEach((button) => {
    button.addEventListener("click", async () => {
      const jump = button.dataset.to ? { to: button.dataset.to }
        : button.dataset.days ? { days: Number(button.dataset.days) } : { hours: Number(button.dataset.hours) };
      document.querySelectorAll(".travel button").forEach((b) => { b.disabled = true; });
      try {
        const result = await api("/_demo/advance", jump);
        showClock(result.clock);
      } catch (error) {
        alert("没有可以跳到的活动：" + error.message);
      } finally {
        document.querySelectorAll(".travel button").forEach((b) => { b.disabled = false; });
      }
    });
  });
  setInterval(refreshPeople, 30000);
}

// Who holds which phone, by the names the bot knows: a visitor approved into the branch shows as the member.
function knownPeople(info) {
  const people = [...info.phones];
  if (info.visitor && !people.some((p) => p.id === info.visitor.id)) {
    people.push({ ...info.visitor, title: "尚未加入" });
  }
  state.people.forEach((p) => { if (!people.some((q) => q.id === p.id)) people.push(p); });
  return people;
}

async function refreshPeople() {
  try {
    state.info = await api("/_page/info");
  } catch (error) {
    return;
  }
  if (state.info.clock) showClock(state.info.clock);
  state.people = knownPeople(state.info);
  state.phones.forEach((phone) => { fillSelect(phone); renderPhone(phone); });
}

let peopleTimer = null;
function refreshPeopleSoon() {
  clearTimeout(peopleTimer);
  peopleTimer = setTimeout(refreshPeople, 300);
}

// ---- the message feed -----------------------------------------------------------------------------------------

async function poll() {
  for (;;) {
    try {
      const data = await api(`/_emu/messages?after=${state.seq}&wait=20`);
      const touched = new Set();
      data.messages.forEach((message) => {
        state.seq = Math.max(state.seq, message.seq);
        if (!state.chats.has(message.chat_id)) state.chats.set(message.chat_id, new Map());
        state.chats.get(message.chat_id).set(message.message_id, message);
        touched.add(message.chat_id);
      });
      state.keyboards = data.keyboards || {};
      state.phones.forEach((p) => (touched.has(p.userId) ? renderPhone(p) : renderKeys(p)));
      if (touched.size) refreshPeopleSoon();
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function boot() {
  state.info = await api("/_page/info");
  document.getElementById("branch").textContent = `${state.info.title} · 机器人 @${state.info.bot}`;
  if (state.info.clock) {
    showClock(state.info.clock);
    setUpTravel();
  } else {
    document.querySelector(".clock").hidden = true;  // a plain emulator has no demo clock
    document.querySelector(".hint .travel-hint").hidden = true;
  }
  state.people = knownPeople(state.info);
  const start = [0, 1, 2].map((index) => state.people[Math.min(index, state.people.length - 1)]);
  start.forEach((person, index) => makePhone(index, person.id));
  poll();
  document.body.dataset.ready = "1";
}

boot();
