#!/bin/sh
# Runs captiond as the NAS user who owns the shared folders (PUID/PGID, the habit of NAS images), so
# what it writes into inbox/ work/ outbox/ failed/ belongs to that user and not to root.
# Started with compose's `user:` instead, it runs captiond as that user directly.
set -eu
# bin/captiond starts the jar with the class data sharing archive made at image build (JAVA_OPTS apply)

if [ "$(id -u)" != 0 ]; then
    exec /app/bin/captiond "$@"
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
exec setpriv --reuid="$PUID" --regid="$PGID" --clear-groups -- /app/bin/captiond "$@"
