/*
 * The chat page's conversation with its node over one WebSocket (/ws/chat). The page shows one
 * unbroken range of the ledger, from the newest message down to the oldest loaded: older pages extend
 * it by cursor as the reader nears the top, and after every reconnect the whole range is fetched again
 * (merged by id), so whatever the node stored meanwhile shows in its place, late blocks included.
 */
(function () {
  'use strict';

  var view = window.LedgerChatView(document);
  var body = document.body;
  var maxBytes = parseInt(body.dataset.maxBytes, 10) || 16384;
  var composer = document.getElementById('composer');
  var composerError = document.getElementById('composer-error');

  var PAGE = 50;
  var CATCH_UP_PAGE = 200;
  var NEAR_TOP = 150;
  var OFFLINE_AFTER = 3;
  var MAX_RETRY_MILLIS = 5000;

  var socket = null;
  var failures = 0;
  var loadedOnce = false;
  var oldestOrder = null;
  var oldestCursor = null;
  var reachedStart = false;
  var olderRef = null;
  var catchUp = null;
  var refCounter = 0;
  var queued = [];
  var inFlight = new Map();
  var unconfirmed = [];
  var encoder = new TextEncoder();

  function nextRef(kind) {
    return kind + '-' + (++refCounter) + '-' + Date.now().toString(36);
  }

  function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  function transmit(frame) {
    socket.send(JSON.stringify(frame));
  }

  /* A page continues the shown range downward when it reaches below the oldest message shown. */
  function extendRange(frame) {
    if (frame.messages.length > 0) {
      var first = frame.messages[0].order;
      if (oldestOrder === null || first <= oldestOrder) {
        oldestOrder = first;
        oldestCursor = frame.before;
        reachedStart = frame.before === null;
      }
    } else if (frame.before === null) {
      reachedStart = true;
    }
    view.setHistoryStart(reachedStart);
  }

  function onMessage(m) {
    if (!reachedStart && oldestOrder !== null && m.order < oldestOrder) {
      return; // older than the range shown: it comes with the older pages, in its place
    }
    var follow = view.atBottom();
    var anchor = view.captureAnchor();
    var li = view.insert(m);
    if (li === null) {
      return;
    }
    view.separateDays();
    view.announce(m);
    if (follow || (li.classList.contains('mine') && !li.nextElementSibling)) {
      view.scrollToBottom();
    } else {
      view.restoreAnchor(anchor);
      if (view.belowView(li)) {
        view.showNewMarker();
      }
    }
  }

  function onPage(frame) {
    var older = frame.ref !== undefined && frame.ref === olderRef;
    var first = !loadedOnce;
    var follow = first || (!older && view.atBottom());
    var anchor = view.captureAnchor();
    var added = [];
    frame.messages.forEach(function (m) {
      var li = view.insert(m);
      if (li !== null) {
        added.push(li);
      }
    });
    loadedOnce = true;
    extendRange(frame);
    view.separateDays();
    if (older) {
      olderRef = null;
      view.setLoading(false);
    }
    if (follow) {
      view.scrollToBottom();
    } else {
      view.restoreAnchor(anchor);
      if (added.some(view.belowView)) {
        view.showNewMarker();
      }
    }
    if (catchUp !== null && frame.ref === catchUp.ref) {
      continueCatchUp(frame);
    }
    maybeLoadOlder();
  }

  /* After a reconnect: newest first, page by page, down to the oldest message shown before it. */
  function startCatchUp() {
    catchUp = { ref: nextRef('catch-up'), until: oldestOrder };
    transmit({ type: 'history', limit: oldestOrder === null ? PAGE : CATCH_UP_PAGE, ref: catchUp.ref });
  }

  function continueCatchUp(frame) {
    var done = catchUp.until === null || frame.before === null || frame.messages.length === 0
      || frame.messages[0].order <= catchUp.until;
    if (!done) {
      transmit({ type: 'older', before: frame.before, limit: CATCH_UP_PAGE, ref: catchUp.ref });
      return;
    }
    catchUp = null;
    settleUnconfirmed();
  }

  /*
   * Sends the connection lost before the node answered go again with the same key: the node answers
   * with the message it stored the first time, or stores it now if the first never arrived.
   */
  function settleUnconfirmed() {
    unconfirmed.splice(0).forEach(dispatch);
  }

  function maybeLoadOlder() {
    if (olderRef !== null || reachedStart || oldestCursor === null || !isOpen()) {
      return;
    }
    if (view.list.scrollTop < NEAR_TOP) {
      olderRef = nextRef('older');
      view.setLoading(true);
      transmit({ type: 'older', before: oldestCursor, limit: PAGE, ref: olderRef });
    }
  }

  function onSent(frame) {
    var entry = inFlight.get(frame.ref);
    if (entry) {
      inFlight.delete(frame.ref);
      entry.li.remove();
    }
    onMessage(frame.message);
  }

  function onError(frame) {
    var entry = frame.ref && inFlight.get(frame.ref);
    if (entry) {
      inFlight.delete(frame.ref);
      // Nothing was stored (a refused send leaves its key free): trying again is a new send.
      view.markFailed(entry.li, frame.error, function () {
        sendText(entry.text);
      });
      return;
    }
    if (frame.ref && frame.ref === olderRef) {
      olderRef = null;
      view.setLoading(false);
    }
    if (catchUp !== null && frame.ref === catchUp.ref) {
      catchUp = null;
    }
    composerError.textContent = frame.error;
  }

  function dispatch(entry) {
    inFlight.set(entry.ref, entry);
    view.setDelivery(entry.li, entry.tries++ === 0 ? 'sending…' : 'checking whether it was stored…');
    transmit({ type: 'send', text: entry.text, key: entry.key, ref: entry.ref });
  }

  /* 128 random bits in hex: the send's idempotency key, the same on every repeat of it. */
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function sendText(text) {
    var entry = { ref: nextRef('send'), key: newKey(), text: text, li: null, tries: 0 };
    entry.li = view.addPending(entry.ref, text);
    if (isOpen()) {
      dispatch(entry);
    } else {
      view.setDelivery(entry.li, 'waiting for the connection…');
      queued.push(entry);
    }
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
    composer.value = '';
    resizeComposer();
    sendText(text);
  }

  function resizeComposer() {
    composer.style.height = 'auto';
    composer.style.height = Math.min(composer.scrollHeight, 200) + 'px';
    composer.style.overflowY = composer.scrollHeight > 200 ? 'auto' : 'hidden';
  }

  function onFrame(event) {
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (e) {
      console.warn('chat: a frame that is not JSON was ignored', e);
      return;
    }
    switch (frame.type) {
      case 'message': onMessage(frame.message); break;
      case 'history':
      case 'older': onPage(frame); break;
      case 'sent': onSent(frame); break;
      case 'status': view.setStatus(frame); break;
      case 'error': onError(frame); break;
      default: break;
    }
  }

  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/ws/chat');
    socket.onopen = function () {
      failures = 0;
      view.setLink('connected');
      startCatchUp();
      queued.splice(0).forEach(dispatch);
    };
    socket.onmessage = onFrame;
    socket.onclose = function () {
      socket = null;
      failures++;
      catchUp = null;
      olderRef = null;
      view.setLoading(false);
      inFlight.forEach(function (entry) {
        view.setDelivery(entry.li, 'connection lost; will check whether it was stored…');
        unconfirmed.push(entry);
      });
      inFlight.clear();
      view.setLink(failures > OFFLINE_AFTER ? 'offline' : 'reconnecting');
      // The node is usually on this machine or near it: retry often enough to be back within seconds.
      var delay = Math.min(MAX_RETRY_MILLIS, 500 * Math.pow(2, Math.min(failures, 4)));
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
  view.list.addEventListener('scroll', function () {
    if (view.atBottom()) {
      view.hideNewMarker();
    }
    maybeLoadOlder();
  });
  view.newMessages.addEventListener('click', view.scrollToBottom);

  view.setLink('connecting');
  connect();
}());
