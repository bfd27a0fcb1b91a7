package io.captiond.web;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The JSON API under {@code /api}: what the pages use and what users script (HTTP Basic, user
 * {@code captiond}). Every dataset and file name passes {@link DatasetFolders} first.
 */
@RestController
@RequestMapping("/api")
public class ApiController {

    private final DatasetFolders guard;
    private final Overview overview;
    private final ProviderState provider;
    private final MemberCaptions captions;
    private final Thumbnails thumbnails;
    private final InboxUploads uploads;
    private final DatasetActions actions;
    private final QuarantineFiles quarantine;

    public ApiController(DatasetFolders guard, Overview overview, ProviderState provider, MemberCaptions captions,
            Thumbnails thumbnails, InboxUploads uploads, DatasetActions actions, QuarantineFiles quarantine) {
        this.guard = guard;
        this.overview = overview;
        this.provider = provider;
        this.captions = captions;
        this.thumbnails = thumbnails;
        this.uploads = uploads;
        this.actions = actions;
        this.quarantine = quarantine;
    }

    @GetMapping("/datasets")
    public List<DatasetSummary> datasets() {
        return overview.all();
    }

    @GetMapping("/provider")
    public ProviderState.Snapshot provider() {
        return provider.now();
    }

    @GetMapping("/datasets/{name}")
    public DatasetSummary dataset(@PathVariable String name) {
        return overview.one(guard.existing(name));
    }

    @GetMapping("/datasets/{name}/members")
    public List<MemberCaptions.Member> members(@PathVariable String name) {
        return captions.all(guard.existing(name));
    }

    @PutMapping(path = "/datasets/{name}/members/{file}/caption", consumes = MediaType.TEXT_PLAIN_VALUE,
            produces = MediaType.TEXT_PLAIN_VALUE)
    public String saveCaption(@PathVariable String name, @PathVariable String file, @RequestBody String caption)
            throws IOException {
        return captions.save(guard.existing(name), file, caption);
    }

    @PostMapping(path = "/datasets/{name}/members/{file}/caption/undo", produces = MediaType.TEXT_PLAIN_VALUE)
    public String undo(@PathVariable String name, @PathVariable String file) throws IOException {
        return captions.undo(guard.existing(name), file);
    }

    @GetMapping("/datasets/{name}/members/{file}/history")
    public List<CaptionHistory.Version> history(@PathVariable String name, @PathVariable String file) throws IOException {
        return captions.history(guard.existing(name), file);
    }

    @GetMapping("/datasets/{name}/members/{file}/thumbnail")
    public ResponseEntity<FileSystemResource> thumbnail(@PathVariable String name, @PathVariable String file)
            throws IOException {
        String dataset = guard.existing(name);
        Path thumb = thumbnails.of(dataset, guard.member(dataset, file));
        return ResponseEntity.ok().contentType(MediaType.IMAGE_JPEG)
                .cacheControl(CacheControl.noCache().cachePrivate()).body(new FileSystemResource(thumb));
    }

    @PostMapping(path = "/datasets/{name}/members/{file}/exclude")
    public ResponseEntity<Void> exclude(@PathVariable String name, @PathVariable String file) throws IOException {
        actions.exclude(guard.existing(name), file);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/datasets/{name}/excluded/{file}/restore")
    public ResponseEntity<Void> restore(@PathVariable String name, @PathVariable String file) throws IOException {
        actions.restore(guard.existing(name), file);
        return ResponseEntity.noContent().build();
    }

    /** Multipart, one or more {@code file} parts (photos or zips): the names taken in inbox/&lt;name&gt;/. */
    @PostMapping(path = "/datasets/{name}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Object> upload(@PathVariable String name, @RequestPart("file") List<MultipartFile> files)
            throws IOException {
        InboxUploads.Result result = uploads.take(guard.existingOrNew(name), files);
        if (result.taken().isEmpty()) {
            return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .body(Map.of("error", "no file was taken", "refused", result.refused()));
        }
        var response = ResponseEntity.ok();
        if (!result.refused().isEmpty()) {
            response.header("X-Captiond-Refused", String.join(", ",
                    result.refused().stream().map(r -> r.file().replaceAll("[^\\x20-\\x7E]", "?") + ": " + r.reason()).toList()));
        }
        return response.body(result.taken());
    }

    @PostMapping("/datasets/{name}/package")
    public ResponseEntity<Map<String, String>> packageNow(@PathVariable String name,
            @RequestBody(required = false) String note) throws IOException {
        actions.packageNow(guard.existing(name), note);
        return ResponseEntity.accepted().body(Map.of("dataset", name, "status", "trigger.done written"));
    }

    public record Replace(String find, String with, boolean regex, boolean apply) {
    }

    @PostMapping("/datasets/{name}/replace")
    public List<MemberCaptions.Change> replace(@PathVariable String name, @RequestBody Replace replace) throws IOException {
        String dataset = guard.existing(name);
        return replace.apply() ? captions.apply(dataset, replace.find(), replace.with(), replace.regex())
                : captions.preview(dataset, replace.find(), replace.with(), replace.regex());
    }

    public record Selection(List<String> files) {
    }

    @PostMapping("/datasets/{name}/recaption")
    public DatasetActions.Recaption recaption(@PathVariable String name, @RequestBody Selection selection)
            throws IOException {
        return actions.recaption(guard.existing(name), selection.files() == null ? List.of() : selection.files());
    }

    @GetMapping("/datasets/{name}/settings")
    public DatasetActions.Settings settings(@PathVariable String name) {
        return actions.settings(guard.existing(name));
    }

    @PutMapping("/datasets/{name}/settings")
    public DatasetActions.Settings saveSettings(@PathVariable String name, @RequestBody DatasetActions.Settings settings)
            throws IOException {
        return actions.saveSettings(guard.existing(name), settings);
    }

    @GetMapping("/quarantine")
    public Map<String, List<QuarantineFiles.Entry>> quarantine() throws IOException {
        return quarantine.byDataset();
    }

    @PostMapping("/quarantine/{name}/{file}/retry")
    public Map<String, String> retry(@PathVariable String name, @PathVariable String file) throws IOException {
        return Map.of("inbox", quarantine.retry(name, file));
    }

    @DeleteMapping("/quarantine/{name}/{file}")
    public ResponseEntity<Void> deleteQuarantined(@PathVariable String name, @PathVariable String file) throws IOException {
        quarantine.delete(name, file);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/datasets/{name}/recaption/cost")
    public Map<String, Integer> cost(@RequestParam int count) {
        return Map.of("paidRequests", actions.cost(count));
    }
}
