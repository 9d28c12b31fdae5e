/*
 * The chat page: one WebSocket to this node (/ws/chat), messages kept in ledger order by their
 * order key, older pages fetched by cursor as the reader nears the top, and a reconnect with
 * backoff that fetches what was missed. Text is only ever set as text, never as HTML.
 */
(function () {
  'use strict';

  var body = document.body;
  var myKey = body.dataset.nodeKey;
  var zone = body.dataset.timeZone || undefined;
  var maxBytes = parseInt(body.dataset.maxBytes, 10) || 16384;
  var list = document.getElementById('messages');
  var composer = document.getElementById('composer');
  var sendButton = document.getElementById('send');
  var composerError = document.getElementById('composer-error');
  var linkState = document.getElementById('link-state');
  var syncState = document.getElementById('sync-state');
  var peerCount = document.getElementById('peer-count');
  var loading = document.getElementById('loading');
  var historyStart = document.getElementById('history-start');
  var newMessages = document.getElementById('new-messages');
  var announcer = document.getElementById('announcer');

  var PAGE = 50;
  var NEAR_TOP = 150;
  var NEAR_BOTTOM = 48;
  var OFFLINE_AFTER = 3;
  var byId = new Map();
  var queued = [];
  var socket = null;
  var failures = 0;
  var oldestCursor = null;
  var reachedStart = false;
  var loadingOlder = false;
  var refCounter = 0;
  var encoder = new TextEncoder();

  var timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  var fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long', timeZone: zone });
  var dayKeyFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone });
  var dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: zone });

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM;
  }

  function scrollToBottom() {
    list.scrollTop = list.scrollHeight;
    newMessages.hidden = true;
  }

  function setLink(state, text) {
    linkState.dataset.state = state;
    linkState.textContent = text || state;
    var usable = state === 'connected';
    sendButton.title = usable ? '' : 'Not connected: messages wait and are sent on reconnect';
    body.classList.toggle('disconnected', !usable);
  }

  function setStatus(frame) {
    var linked = frame.peersLinked;
    peerCount.dataset.count = String(linked);
    peerCount.textContent = linked === 0 ? 'no peers linked'
      : linked + ' of ' + frame.peersKnown + (frame.peersKnown === 1 ? ' peer' : ' peers') + ' linked';
    syncState.dataset.state = frame.inSync ? 'in-sync' : 'syncing';
    syncState.textContent = frame.inSync ? 'in sync' : 'syncing';
  }

  /* A message element; the text goes in as text. */
  function render(m, li) {
    li = li || document.createElement('li');
    li.className = 'message ' + (m.author === myKey ? 'mine' : 'theirs');
    li.dataset.id = m.id;
    li.dataset.order = m.order;
    li.dataset.cursor = m.cursor;
    li.textContent = '';
    if (m.author !== myKey) {
      var sender = document.createElement('span');
      sender.className = 'sender';
      sender.textContent = m.sender;
      li.appendChild(sender);
    }
    var text = document.createElement('p');
    text.className = 'text';
    text.textContent = m.text;
    li.appendChild(text);
    var at = new Date(m.timestamp);
    var time = document.createElement('time');
    time.dateTime = m.timestamp;
    time.textContent = timeFormat.format(at);
    time.title = fullFormat.format(at);
    li.dataset.day = dayKeyFormat.format(at);
    li.appendChild(time);
    return li;
  }

  /* Inserts where the order key puts it (a late block from a peer lands in its place), once. */
  function insert(m) {
    var existing = byId.get(m.id);
    if (existing) {
      return false;
    }
    var li = render(m);
    var items = list.querySelectorAll('li.message:not(.pending)');
    var lo = 0;
    var hi = items.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (items[mid].dataset.order < m.order) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    var before = lo < items.length ? items[lo] : list.querySelector('li.pending');
    list.insertBefore(li, before);
    byId.set(m.id, li);
    return true;
  }

  /* Day separators follow the messages: rebuilt after each change, cheap at page sizes. */
  function separateDays() {
    list.querySelectorAll('li.day-separator').forEach(function (s) { s.remove(); });
    var lastDay = null;
    list.querySelectorAll('li.message').forEach(function (li) {
      if (li.dataset.day && li.dataset.day !== lastDay) {
        var sep = document.createElement('li');
        sep.className = 'day-separator';
        sep.setAttribute('role', 'separator');
        var time = li.querySelector('time');
        sep.textContent = dayFormat.format(new Date(time.dateTime));
        list.insertBefore(sep, li);
        lastDay = li.dataset.day;
      }
    });
  }

  function announce(m) {
    announcer.textContent = (m.author === myKey ? 'You' : m.sender) + ': ' + m.text;
  }

  function onMessage(m) {
    var follow = atBottom();
    if (!insert(m)) {
      return;
    }
    separateDays();
    announce(m);
    if (follow || m.author === myKey) {
      scrollToBottom();
    } else {
      newMessages.hidden = false;
    }
  }

  /* A page of history, newest first or older: merged by id, the reader's place kept. */
  function onPage(frame, older) {
    var keepFrom = list.scrollHeight - list.scrollTop;
    var wasEmpty = byId.size === 0;
    frame.messages.forEach(insert);
    separateDays();
    if (older || !wasEmpty) {
      loadingOlder = false;
      loading.hidden = true;
      list.setAttribute('aria-busy', 'false');
    }
    if (older || oldestCursor === null || wasEmpty) {
      oldestCursor = frame.before;
      reachedStart = frame.before === null;
      historyStart.hidden = !reachedStart;
    }
    if (wasEmpty) {
      scrollToBottom();
    } else {
      list.scrollTop = list.scrollHeight - keepFrom;
    }
    maybeLoadOlder();
  }

  function maybeLoadOlder() {
    if (loadingOlder || reachedStart || oldestCursor === null || !isOpen()) {
      return;
    }
    if (list.scrollTop < NEAR_TOP) {
      loadingOlder = true;
      loading.hidden = false;
      list.setAttribute('aria-busy', 'true');
      socket.send(JSON.stringify({ type: 'older', before: oldestCursor, limit: PAGE }));
    }
  }

  function pendingElement(ref, text) {
    var li = document.createElement('li');
    li.className = 'message mine pending';
    li.dataset.id = 'pending-' + ref;
    var p = document.createElement('p');
    p.className = 'text';
    p.textContent = text;
    li.appendChild(p);
    var state = document.createElement('span');
    state.className = 'delivery';
    state.textContent = 'sending…';
    li.appendChild(state);
    list.appendChild(li);
    scrollToBottom();
    return li;
  }

  function onSent(frame) {
    var pending = list.querySelector('li[data-id="pending-' + CSS.escape(frame.ref || '') + '"]');
    if (pending) {
      pending.remove();
    }
    onMessage(frame.message);
  }

  function onError(frame) {
    var pending = frame.ref && list.querySelector('li[data-id="pending-' + CSS.escape(frame.ref) + '"]');
    if (pending) {
      pending.classList.remove('pending');
      pending.classList.add('failed');
      var state = pending.querySelector('.delivery');
      state.textContent = 'not sent';
      var why = document.createElement('span');
      why.className = 'failure';
      why.textContent = frame.error;
      pending.appendChild(why);
    } else {
      composerError.textContent = frame.error;
    }
    if (loadingOlder) {
      loadingOlder = false;
      loading.hidden = true;
    }
  }

  function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  function send() {
    var text = composer.value;
    composerError.textContent = '';
    if (text.trim() === '') {
      return;
    }
    var bytes = encoder.encode(text).length;
    if (bytes > maxBytes) {
      composerError.textContent = 'This message is ' + bytes + ' bytes; the limit is ' + maxBytes
        + ' bytes. Shorten it to send.';
      return;
    }
    var ref = 'r' + (++refCounter) + '-' + Date.now().toString(36);
    var frame = JSON.stringify({ type: 'send', text: text, ref: ref });
    var li = pendingElement(ref, text);
    composer.value = '';
    resizeComposer();
    if (isOpen()) {
      socket.send(frame);
    } else {
      li.querySelector('.delivery').textContent = 'waiting for the connection…';
      queued.push(frame);
    }
  }

  function resizeComposer() {
    composer.style.height = 'auto';
    composer.style.height = Math.min(composer.scrollHeight, 200) + 'px';
    composer.style.overflowY = composer.scrollHeight > 200 ? 'auto' : 'hidden';
  }

  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/ws/chat');
    socket.onopen = function () {
      failures = 0;
      setLink('connected');
      // After a reconnect this fetches what was missed; known ids are skipped.
      socket.send(JSON.stringify({ type: 'history', limit: PAGE }));
      while (queued.length > 0 && isOpen()) {
        socket.send(queued.shift());
      }
      list.querySelectorAll('li.pending .delivery').forEach(function (d) { d.textContent = 'sending…'; });
    };
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      switch (frame.type) {
        case 'message': onMessage(frame.message); break;
        case 'history': onPage(frame, false); break;
        case 'older': onPage(frame, true); break;
        case 'sent': onSent(frame); break;
        case 'status': setStatus(frame); break;
        case 'error': onError(frame); break;
        default: break;
      }
    };
    socket.onclose = function () {
      socket = null;
      failures++;
      setLink(failures > OFFLINE_AFTER ? 'offline' : 'reconnecting');
      syncState.dataset.state = 'syncing';
      syncState.textContent = 'not connected';
      // The node is usually on this machine or near it: retry often enough to be back within seconds.
      var delay = Math.min(5000, 500 * Math.pow(2, Math.min(failures, 4)));
      setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
    };
  }

  composer.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  composer.addEventListener('input', function () {
    composerError.textContent = '';
    resizeComposer();
  });
  document.getElementById('compose').addEventListener('submit', function (event) {
    event.preventDefault();
    send();
  });
  list.addEventListener('scroll', function () {
    if (atBottom()) {
      newMessages.hidden = true;
    }
    maybeLoadOlder();
  });
  newMessages.addEventListener('click', scrollToBottom);

  setLink('reconnecting', 'connecting');
  connect();
}());
