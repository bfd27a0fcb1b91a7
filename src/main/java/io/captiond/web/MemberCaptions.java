package io.captiond.web;

import io.captiond.core.CaptionRules;
import io.captiond.core.CaptionText;
import io.captiond.core.Dataset;
import io.captiond.core.Datasets;
import io.captiond.core.Folders;
import io.captiond.core.ImageRecord;
import io.captiond.core.ImageRecords;
import io.captiond.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reads and writes members' captions the way the pipeline does: the sidecar {@code <stem>.txt} is the
 * caption, written atomically; the trigger word is enforced by {@link CaptionRules} (anchor rule, as
 * for every caption a person wrote); the record says "user" wrote it, so the caption stage, which
 * never touches an existing sidecar, never replaces it.
 */
@Component
public class MemberCaptions {

    /** The JSON of {@code GET /api/datasets/{name}/members}. */
    public record Member(String file, String caption, String captionBy, int width, int height) {
    }

    public record Change(String file, String before, String after) {
    }

    private final DatasetFolders guard;
    private final Folders folders;
    private final Datasets datasets;
    private final ImageRecords records;
    private final CaptionRules rules;
    private final CaptionHistory history;

    public MemberCaptions(DatasetFolders guard, Folders folders, Datasets datasets, ImageRecords records,
            CaptionRules rules, CaptionHistory history) {
        this.guard = guard;
        this.folders = folders;
        this.datasets = datasets;
        this.records = records;
        this.rules = rules;
        this.history = history;
    }

    /** Every member still in work/, by file name; the caption is null while it is pending. */
    public List<Member> all(String dataset) {
        return present(dataset).stream().map(r -> member(dataset, r)).toList();
    }

    /** The records of the members still in work/ (one directory listing, no caption read). */
    public List<ImageRecord> present(String dataset) {
        java.util.Set<String> inWork = new java.util.HashSet<>();
        try (var files = Files.newDirectoryStream(folders.work(dataset))) {
            files.forEach(f -> inWork.add(f.getFileName().toString()));
        } catch (IOException e) {
            return List.of();
        }
        return records.all(dataset).stream().filter(r -> inWork.contains(r.output())).toList();
    }

    public Member member(String dataset, ImageRecord r) {
        String caption = read(folders.work(dataset).resolve(r.sidecarName()));
        return new Member(r.output(), caption, caption == null ? null : r.captioner(), r.width(), r.height());
    }

    /** Saves the user's caption for a captioned member and returns the text as saved. */
    public String save(String dataset, String file, String text) throws IOException {
        ImageRecord record = guard.member(dataset, file);
        return write(dataset, record, text, "user");
    }

    /** Puts back the caption before the last change; returns it. */
    public String undo(String dataset, String file) throws IOException {
        ImageRecord record = guard.member(dataset, file);
        CaptionHistory.Version previous = history.undo(dataset, record.output());
        if (previous == null) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "nothing to undo for " + record.output());
        }
        Path sidecar = folders.work(dataset).resolve(record.sidecarName());
        records.save(dataset, record.captionedBy(previous.by() == null ? "user" : previous.by(), List.of()));
        AtomicFiles.writeString(sidecar, previous.text() + "\n");
        return previous.text();
    }

    public List<CaptionHistory.Version> history(String dataset, String file) throws IOException {
        return history.of(dataset, guard.member(dataset, file).output());
    }

    /** Find/replace over every caption of the dataset: the captions it would change, before and after. */
    public List<Change> preview(String dataset, String find, String with, boolean regex) {
        if (find == null || find.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "nothing to find");
        }
        Pattern pattern;
        try {
            pattern = regex ? Pattern.compile(find) : Pattern.compile(Pattern.quote(find));
        } catch (PatternSyntaxException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "not a regular expression: " + e.getDescription());
        }
        String replacement = regex ? (with == null ? "" : with) : Matcher.quoteReplacement(with == null ? "" : with);
        Dataset ds = usable(dataset);
        List<Change> changes = new ArrayList<>();
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (Member m : all(dataset)) {
            if (m.caption() == null) {
                continue;
            }
            String replaced;
            try {
                replaced = pattern.matcher(new Deadline(m.caption(), deadline)).replaceAll(replacement);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad replacement: " + e.getMessage());
            }
            if (!replaced.equals(m.caption())) {
                String cleaned = CaptionText.clean(replaced);
                String after = cleaned.isEmpty() ? replaced : rules.finish(cleaned, ds, true);
                if (!after.equals(m.caption())) {
                    changes.add(new Change(m.file(), m.caption(), after));
                }
            }
        }
        return changes;
    }

    /** Applies a find/replace; every changed caption becomes the user's, with its history. */
    public List<Change> apply(String dataset, String find, String with, boolean regex) throws IOException {
        List<Change> changes = preview(dataset, find, with, regex);
        List<Change> applied = new ArrayList<>();
        for (Change change : changes) {
            ImageRecord record = guard.member(dataset, change.file());
            applied.add(new Change(change.file(), change.before(), write(dataset, record, change.after(), "user")));
        }
        return applied;
    }

    private String write(String dataset, ImageRecord record, String text, String who) throws IOException {
        Dataset ds = usable(dataset);
        Path sidecar = folders.work(dataset).resolve(record.sidecarName());
        String before = read(sidecar);
        if (before == null) {
            // the caption stage writes a missing sidecar itself; editing it now would race that write
            throw new ResponseStatusException(HttpStatus.CONFLICT, record.output() + " has no caption yet");
        }
        String cleaned = CaptionText.clean(text);
        if (cleaned.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a caption cannot be empty");
        }
        String caption = rules.finish(cleaned, ds, true);
        records.save(dataset, record.captionedBy(who, List.of()));
        AtomicFiles.writeString(sidecar, caption + "\n");
        history.add(dataset, record.output(), before, record.captioner(), new CaptionHistory.Version(caption, who, Instant.now()));
        return caption;
    }

    private Dataset usable(String dataset) {
        Dataset ds = datasets.get(dataset);
        if (!ds.usable()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "dataset '" + dataset + "' is stopped: " + ds.problem());
        }
        return ds;
    }

    static String read(Path sidecar) {
        try {
            return Files.isRegularFile(sidecar) ? Files.readString(sidecar, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A caption that stops a runaway regular expression: the JDK's matcher has no timeout, and a
     * pattern like {@code (a+)+$} would otherwise hold a request thread for minutes.
     */
    private record Deadline(CharSequence text, long deadlineNanos) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the expression takes too long; simplify it");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
