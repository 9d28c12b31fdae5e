/*
 * The members panel: who belongs to the group (name from each member's admit, a key fingerprint when two share a
 * name), their rank and whether this node is linked to them; invites for admins, removal of those this node's
 * owner outranks, and leaving. Everything goes through /api/members and /api/invites; the rules are the node's.
 */
(function () {
  'use strict';
  var REFRESH_MILLIS = 10000;
  var RANKS = { member: 1, admin: 2, founder: 3 };
  var myKey = document.body.dataset.nodeKey;
  var list = document.getElementById('members');
  var summary = document.getElementById('members-summary');
  var inviteButton = document.getElementById('invite');
  var leaveButton = document.getElementById('leave');
  var made = document.getElementById('invite-made');
  var error = document.getElementById('members-error');
  var standing = document.getElementById('membership-state');
  /** What /api/node last said; until it answers, nobody is told they are outside the group. */
  var node = null;

  function api(method, path, body) {
    var options = { method: method, headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 204) {
        return null;
      }
      return response.json().then(function (json) {
        if (!response.ok) {
          throw new Error(json.error || ('the node answered ' + response.status));
        }
        return json;
      });
    });
  }

  function fingerprint(key) {
    return key.substring(0, 8);
  }

  function render(members) {
    var counts = {};
    members.forEach(function (m) { counts[m.name] = (counts[m.name] || 0) + 1; });
    var mine = members.find(function (m) { return m.key === myKey; });
    var myRank = mine ? RANKS[mine.rank] : 0;
    list.replaceChildren();
    members.forEach(function (m) {
      var li = document.createElement('li');
      li.dataset.key = m.key;
      li.dataset.rank = m.rank;
      var name = document.createElement('span');
      name.className = 'member-name';
      name.textContent = m.name + (counts[m.name] > 1 ? ' · ' + fingerprint(m.key) : '') + (m.key === myKey ? ' (you)' : '');
      var rank = document.createElement('span');
      rank.className = 'member-rank';
      rank.textContent = m.rank;
      var online = document.createElement('span');
      online.className = 'member-online';
      online.dataset.linked = String(m.linked);
      online.textContent = m.linked ? 'online' : 'offline';
      li.append(name, ' ', rank, ' ', online);
      if (m.key !== myKey && myRank >= RANKS.admin && myRank > RANKS[m.rank]) {
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'member-remove';
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', 'Remove ' + m.name + ' from the group');
        remove.addEventListener('click', function () {
          if (window.confirm('Remove ' + m.name + ' from the group? Their later messages will count nowhere.')) {
            act(api('DELETE', 'api/members/' + m.key));
          }
        });
        li.append(' ', remove);
      }
      list.appendChild(li);
    });
    summary.textContent = 'Members (' + members.length + ')';
    showStanding(Boolean(mine));
    inviteButton.hidden = myRank < RANKS.admin;
    leaveButton.hidden = !mine || mine.rank === 'founder';
  }

  /** A node removed from its group (or that left it) keeps its history, and its owner is told why nothing new comes. */
  function showStanding(isMember) {
    var outside = node !== null && !isMember && !node.joining && !node.joinable;
    standing.hidden = !outside;
    standing.textContent = outside ? 'This node is no longer a member of the group: it was removed, or it left. '
        + 'The messages it holds stay readable here; nothing new arrives, and nothing it sends is accepted.' : '';
  }

  function refresh() {
    return api('GET', 'api/members').then(function (json) {
      render(json.members);
    }).catch(function (e) {
      error.textContent = 'Could not read the members: ' + e.message;
    });
  }

  function act(request) {
    error.textContent = '';
    return request.then(refresh).catch(function (e) {
      error.textContent = e.message;
    });
  }

  inviteButton.addEventListener('click', function () {
    error.textContent = '';
    api('POST', 'api/invites', {}).then(function (invite) {
      document.getElementById('invite-code').value = invite.code;
      document.getElementById('invite-link').value = invite.link;
      var expires = document.getElementById('invite-expires');
      expires.dateTime = invite.expires;
      expires.textContent = new Date(invite.expires).toLocaleString();
      made.hidden = false;
    }).catch(function (e) {
      error.textContent = 'No invite was made: ' + e.message;
    });
  });

  function copier(button, field) {
    document.getElementById(button).addEventListener('click', function () {
      var input = document.getElementById(field);
      input.select();
      (navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.reject(new Error('no clipboard')))
        .catch(function () { document.execCommand('copy'); });
    });
  }
  copier('copy-code', 'invite-code');
  copier('copy-link', 'invite-link');

  leaveButton.addEventListener('click', function () {
    if (window.confirm('Leave the group? This node will receive nothing new from it.')) {
      act(api('DELETE', 'api/members/' + myKey));
    }
  });

  var joinForm = document.getElementById('join-form');
  var joinCode = document.getElementById('join-code');
  var joinState = document.getElementById('join-state');
  var JOIN_POLL_MILLIS = 2000;

  /** A link's code travels in the fragment, which the browser never sends to any server. */
  function codeInLink() {
    var at = window.location.hash.indexOf('join=');
    return at < 0 ? null : decodeURIComponent(window.location.hash.substring(at + 'join='.length));
  }

  function showJoining(node) {
    if (node.joining) {
      joinState.textContent = node.joinRefusal ? 'A member refused the invite: ' + node.joinRefusal
          : 'Waiting for a member to admit this node…';
      // A refused invite will not become good: the form takes another code.
      joinForm.hidden = !node.joinRefusal;
      window.setTimeout(checkJoin, JOIN_POLL_MILLIS);
    } else {
      joinState.textContent = '';
    }
  }

  function checkJoin() {
    api('GET', 'api/node').then(function (node) {
      if (!node.joining && !node.joinable) {
        // Admitted: the history has arrived; the page starts again on the group's messages.
        window.location.hash = '';
        window.location.reload();
        return;
      }
      showJoining(node);
    }).catch(function () {
      window.setTimeout(checkJoin, JOIN_POLL_MILLIS);
    });
  }

  api('GET', 'api/node').then(function (answer) {
    node = answer;
    showStanding(node.member);
    var linked = codeInLink();
    joinForm.hidden = !node.joinable;
    if (linked !== null) {
      document.getElementById('members-panel').open = true;
      if (node.joinable) {
        joinCode.value = linked;
      } else {
        error.textContent = 'This node already belongs to a group. To join another one, start a node with a new '
            + 'DATA_DIR and open the invite link on its page.';
      }
    }
    if (node.joining) {
      showJoining(node);
    }
  });

  joinForm.addEventListener('submit', function (event) {
    event.preventDefault();
    error.textContent = '';
    api('POST', 'api/join', { code: joinCode.value.trim() }).then(function () {
      joinCode.value = '';
      joinForm.hidden = true;
      // The group this node had founded is gone: no members, nobody to invite until the history arrives.
      if (node !== null) {
        node.joining = true;
      }
      refresh();
      joinState.textContent = 'Waiting for a member to admit this node…';
      window.setTimeout(checkJoin, JOIN_POLL_MILLIS);
    }).catch(function (e) {
      error.textContent = 'Could not join: ' + e.message;
    });
  });

  refresh();
  window.setInterval(refresh, REFRESH_MILLIS);
})();
