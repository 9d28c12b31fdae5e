/*
 * What the chat page shows: the header states, the message list in ledger order (by each message's
 * order key), day separators, pending and failed sends, the reader's scroll place, and the screen
 * reader announcements. It knows nothing of the socket: chat.js drives it. Text is only ever set as
 * text, never as HTML.
 */
(function (global) {
  'use strict';

  var NEAR_BOTTOM = 48;
  var ANNOUNCE_AFTER_MILLIS = 800;
  var ANNOUNCE_MAX_CHARS = 200;
  var GROUP_WITHIN_MILLIS = 5 * 60 * 1000;

  global.LedgerChatView = function (doc) {
    var body = doc.body;
    var myKey = body.dataset.nodeKey;
    var zone = body.dataset.timeZone || undefined;
    var list = doc.getElementById('messages');
    var linkState = doc.getElementById('link-state');
    var syncState = doc.getElementById('sync-state');
    var peerCount = doc.getElementById('peer-count');
    var loading = doc.getElementById('loading');
    var historyStart = doc.getElementById('history-start');
    var newMessages = doc.getElementById('new-messages');
    var announcer = doc.getElementById('announcer');
    var composerNote = doc.getElementById('composer-note');
    var sendButton = doc.getElementById('send');
    var byId = new Map();
    var toAnnounce = [];
    var announceTimer = null;

    var timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: zone });
    var fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long', timeZone: zone });
    var dayKeyFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone });
    var dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: zone });

    function element(tag, className, text) {
      var e = doc.createElement(tag);
      if (className) {
        e.className = className;
      }
      if (text !== undefined) {
        e.textContent = text;
      }
      return e;
    }

    function isMine(m) {
      return m.author === myKey;
    }

    function render(m) {
      var li = element('li', 'message ' + (isMine(m) ? 'mine' : 'theirs'));
      li.dataset.id = m.id;
      li.dataset.author = m.author;
      li.dataset.order = m.order;
      li.dataset.cursor = m.cursor;
      if (!isMine(m)) {
        li.appendChild(element('span', 'sender', m.sender));
      }
      li.appendChild(element('p', 'text', m.text));
      var at = new Date(m.timestamp);
      var time = element('time', null, timeFormat.format(at));
      time.dateTime = m.timestamp;
      time.title = fullFormat.format(at);
      li.dataset.day = dayKeyFormat.format(at);
      li.appendChild(time);
      return li;
    }

    function stored() {
      return list.querySelectorAll('li.message:not(.pending):not(.failed)');
    }

    /** The first stored message whose order key is not below {@code order} (binary search). */
    function firstFrom(items, order) {
      var lo = 0;
      var hi = items.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (items[mid].dataset.order < order) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /* Where the order key puts it (a late block from a peer lands in its place), and only once. */
    function insert(m) {
      if (byId.has(m.id)) {
        return null;
      }
      var li = render(m);
      var items = stored();
      var at = firstFrom(items, m.order);
      var before = at < items.length ? items[at] : list.querySelector('li.pending, li.failed');
      list.insertBefore(li, before);
      byId.set(m.id, li);
      return li;
    }

    /*
     * Day separators, and runs of one author's messages close in time drawn as one group (the name
     * once, at its top). Rebuilt after each change: cheap at the sizes a person scrolls through, and a
     * late block can split a run anywhere.
     */
    function separateDays() {
      list.querySelectorAll('li.day-separator').forEach(function (s) { s.remove(); });
      var lastDay = null;
      var previous = null;
      stored().forEach(function (li) {
        var at = Date.parse(li.querySelector('time').dateTime);
        if (li.dataset.day !== lastDay) {
          var sep = element('li', 'day-separator', dayFormat.format(new Date(at)));
          sep.setAttribute('role', 'separator');
          list.insertBefore(sep, li);
          lastDay = li.dataset.day;
          previous = null;
        }
        var continued = previous !== null && previous.author === li.dataset.author && at - previous.at < GROUP_WITHIN_MILLIS;
        li.classList.toggle('continued', continued);
        previous = { author: li.dataset.author, at: at };
      });
    }

    function atBottom() {
      return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM;
    }

    function scrollToBottom() {
      list.scrollTop = list.scrollHeight;
      newMessages.hidden = true;
    }

    /* The first message in view and how far it sits from the top: insertions above must not move it. */
    function captureAnchor() {
      var items = stored();
      var top = list.getBoundingClientRect().top;
      var lo = 0;
      var hi = items.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (items[mid].getBoundingClientRect().bottom <= top) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo < items.length ? { li: items[lo], offset: items[lo].getBoundingClientRect().top - top } : null;
    }

    function restoreAnchor(anchor) {
      if (anchor && anchor.li.isConnected) {
        list.scrollTop += anchor.li.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
      }
    }

    function belowView(li) {
      return li.getBoundingClientRect().top >= list.getBoundingClientRect().bottom;
    }

    /** One of connecting (the page's first attempt), connected, reconnecting, offline. */
    function setLink(state) {
      linkState.dataset.state = state === 'connecting' ? 'reconnecting' : state;
      linkState.textContent = state;
      var usable = state === 'connected';
      body.classList.toggle('disconnected', !usable);
      sendButton.title = usable ? '' : 'Not connected: messages wait and are sent on reconnect';
      composerNote.textContent = usable || state === 'connecting' ? ''
        : 'Not connected to your node. Messages you send now wait here and go out when it is back.';
      if (!usable) {
        // What the node last said about its peers is no longer known.
        peerCount.dataset.count = '';
        peerCount.textContent = 'peers unknown';
        syncState.dataset.state = 'unknown';
        syncState.textContent = 'not connected';
      }
    }

    function setStatus(frame) {
      var linked = frame.peersLinked;
      peerCount.dataset.count = String(linked);
      peerCount.textContent = linked === 0 ? 'no peers linked'
        : linked + ' of ' + frame.peersKnown + (frame.peersKnown === 1 ? ' peer' : ' peers') + ' linked';
      syncState.dataset.state = frame.inSync ? 'in-sync' : 'syncing';
      syncState.textContent = frame.inSync ? 'in sync' : 'syncing';
    }

    function setLoading(on) {
      loading.hidden = !on;
      list.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    function setHistoryStart(shown) {
      historyStart.hidden = !shown;
    }

    function clip(text) {
      return text.length <= ANNOUNCE_MAX_CHARS ? text : text.slice(0, ANNOUNCE_MAX_CHARS) + '…';
    }

    /* Others' messages as they arrive, a burst as one sentence: a reader hears news, not a flood. */
    function announce(m) {
      if (isMine(m)) {
        return;
      }
      toAnnounce.push(m);
      if (announceTimer === null) {
        announceTimer = setTimeout(function () {
          var burst = toAnnounce;
          toAnnounce = [];
          announceTimer = null;
          if (burst.length === 1) {
            announcer.textContent = burst[0].sender + ': ' + clip(burst[0].text);
          } else {
            var senders = Array.from(new Set(burst.map(function (x) { return x.sender; })));
            announcer.textContent = burst.length + ' new messages from ' + senders.join(', ');
          }
        }, ANNOUNCE_AFTER_MILLIS);
      }
    }

    function addPending(ref, text) {
      var li = element('li', 'message mine pending');
      li.dataset.id = 'pending-' + ref;
      li.appendChild(element('p', 'text', text));
      li.appendChild(element('span', 'delivery', 'sending…'));
      list.appendChild(li);
      scrollToBottom();
      return li;
    }

    function setDelivery(li, text) {
      li.querySelector('.delivery').textContent = text;
    }

    /* A send the node refused or never confirmed: the reason, and a way to try again. */
    function markFailed(li, reason, retry) {
      li.classList.remove('pending');
      li.classList.add('failed');
      setDelivery(li, 'not sent');
      li.appendChild(element('span', 'failure', reason));
      if (retry) {
        var again = element('button', 'retry', 'Send again');
        again.type = 'button';
        again.addEventListener('click', function () {
          li.remove();
          retry();
        });
        li.appendChild(again);
      }
    }

    return {
      list: list,
      newMessages: newMessages,
      size: function () { return byId.size; },
      insert: insert,
      separateDays: separateDays,
      atBottom: atBottom,
      scrollToBottom: scrollToBottom,
      captureAnchor: captureAnchor,
      restoreAnchor: restoreAnchor,
      belowView: belowView,
      showNewMarker: function () { newMessages.hidden = false; },
      hideNewMarker: function () { newMessages.hidden = true; },
      setLink: setLink,
      setStatus: setStatus,
      setLoading: setLoading,
      setHistoryStart: setHistoryStart,
      announce: announce,
      addPending: addPending,
      setDelivery: setDelivery,
      markFailed: markFailed
    };
  };
}(window));
