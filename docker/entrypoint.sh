#!/bin/sh
# Runs captiond as the NAS user who owns the shared folders (PUID/PGID, the habit of NAS images), so
# what it writes into inbox/ work/ outbox/ failed/ belongs to that user and not to root.
# Started with compose's `user:` instead, it runs captiond as that user directly.
set -eu

if [ "$(id -u)" != 0 ]; then
    exec java $JAVA_OPTS -jar /app/captiond.jar "$@"
fi

PUID=${PUID:-1000}
PGID=${PGID:-1000}
for dir in "$CAPTIOND_INBOX" "$CAPTIOND_WORK" "$CAPTIOND_OUTBOX" "$CAPTIOND_FAILED"; do
    mkdir -p "$dir"
    # Docker creates a missing bind-mounted folder as root: that one (only the folder, never what the
    # user put in it) is handed to the NAS user. A folder the user made keeps its owner.
    if [ "$(stat -c %u "$dir")" = 0 ] && [ "$PUID" != 0 ]; then
        chown "$PUID:$PGID" "$dir"
    fi
done
exec setpriv --reuid="$PUID" --regid="$PGID" --clear-groups -- java $JAVA_OPTS -jar /app/captiond.jar "$@"
