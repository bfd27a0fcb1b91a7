package io.captiond.web;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.server.ResponseStatusException;

/**
 * The review station's pages, rendered on the server (Thymeleaf). Forms post here with their CSRF
 * token; the page scripts call the JSON API with the same session and token.
 */
@Controller
public class PageController {

    static final int PAGE_SIZE = 48;

    private final DatasetFolders guard;
    private final Overview overview;
    private final ProviderState provider;
    private final MemberCaptions captions;
    private final DatasetActions actions;
    private final QuarantineFiles quarantine;

    public PageController(DatasetFolders guard, Overview overview, ProviderState provider, MemberCaptions captions,
            DatasetActions actions, QuarantineFiles quarantine) {
        this.guard = guard;
        this.overview = overview;
        this.provider = provider;
        this.captions = captions;
        this.actions = actions;
        this.quarantine = quarantine;
    }

    @GetMapping("/login")
    public String login() {
        return "login";
    }

    @GetMapping("/")
    public String overview(Model model) {
        model.addAttribute("datasets", overview.all());
        model.addAttribute("provider", provider.now());
        return "overview";
    }

    /** A member as the contact sheet shows it. */
    public record Card(MemberCaptions.Member member, int words, int tokens) {

        public boolean tooLong() {
            return tokens > CaptionStats.CLIP_LIMIT;
        }
    }

    @GetMapping("/datasets/{name}")
    public String dataset(@PathVariable String name, @RequestParam(defaultValue = "1") int page,
            @RequestParam(defaultValue = "false") boolean longOnly, Model model) throws IOException {
        String dataset = guard.existing(name);
        // only the shown page's captions are read, unless the filter needs them all
        List<io.captiond.core.ImageRecord> present = captions.present(dataset);
        List<Card> longCards = longOnly ? present.stream().map(r -> card(dataset, r)).filter(Card::tooLong).toList() : null;
        int total = longOnly ? longCards.size() : present.size();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.min(Math.max(1, page), pages);
        int from = (current - 1) * PAGE_SIZE;
        int to = Math.min(total, current * PAGE_SIZE);
        model.addAttribute("summary", overview.one(dataset));
        model.addAttribute("cards", longOnly ? longCards.subList(from, to)
                : present.subList(from, to).stream().map(r -> card(dataset, r)).toList());
        model.addAttribute("total", total);
        model.addAttribute("page", current);
        model.addAttribute("pages", pages);
        model.addAttribute("longOnly", longOnly);
        model.addAttribute("settings", actions.settings(dataset));
        model.addAttribute("excluded", actions.excludedMembers(dataset));
        model.addAttribute("paid", actions.cost(1) > 0);
        model.addAttribute("quarantined", quarantine.of(dataset));
        model.addAttribute("zipReady", downloadable(dataset, DatasetActions.Download.ZIP));
        model.addAttribute("reportReady", downloadable(dataset, DatasetActions.Download.REPORT));
        return "dataset";
    }

    private Card card(String dataset, io.captiond.core.ImageRecord record) {
        MemberCaptions.Member m = captions.member(dataset, record);
        return new Card(m, CaptionStats.words(m.caption()), CaptionStats.clipTokens(m.caption()));
    }

    @PostMapping("/datasets/{name}/package")
    public String packageNow(@PathVariable String name, @RequestParam(defaultValue = "") String note,
            RedirectAttributes redirect) throws IOException {
        actions.packageNow(guard.existing(name), note);
        redirect.addFlashAttribute("message", "trigger.done written: the dataset is packaged once every caption is in.");
        return "redirect:/datasets/{name}";
    }

    @PostMapping("/datasets/{name}/settings")
    public String saveSettings(@PathVariable String name, DatasetActions.Settings settings, RedirectAttributes redirect)
            throws IOException {
        try {
            actions.saveSettings(guard.existing(name), settings);
            redirect.addFlashAttribute("message", "dataset.yaml saved.");
        } catch (ResponseStatusException e) {
            redirect.addFlashAttribute("error", e.getReason());
        }
        return "redirect:/datasets/{name}";
    }

    @GetMapping("/datasets/{name}/download/{what:zip|manifest}")
    public ResponseEntity<FileSystemResource> download(@PathVariable String name, @PathVariable String what)
            throws IOException {
        boolean zip = what.equals("zip");
        Path file = actions.download(guard.existing(name), zip ? DatasetActions.Download.ZIP : DatasetActions.Download.MANIFEST);
        return outboxFile(file, zip ? MediaType.parseMediaType("application/zip") : MediaType.APPLICATION_JSON,
                ContentDisposition.attachment());
    }

    /** The insight report, shown in the browser (one self-contained page: inline CSS, SVG and thumbnails). */
    @GetMapping("/datasets/{name}/report")
    public ResponseEntity<FileSystemResource> report(@PathVariable String name) throws IOException {
        Path file = actions.download(guard.existing(name), DatasetActions.Download.REPORT);
        return outboxFile(file, new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8),
                ContentDisposition.inline());
    }

    private static ResponseEntity<FileSystemResource> outboxFile(Path file, MediaType type,
            ContentDisposition.Builder disposition) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.filename(file.getFileName().toString()).build().toString())
                .body(new FileSystemResource(file));
    }

    @GetMapping("/quarantine")
    public String quarantine(Model model) throws IOException {
        model.addAttribute("groups", quarantine.byDataset());
        return "quarantine";
    }

    @PostMapping("/quarantine/{name}/{file}/retry")
    public String retry(@PathVariable String name, @PathVariable String file, RedirectAttributes redirect)
            throws IOException {
        redirect.addFlashAttribute("message", file + " is back in inbox/" + name + "/ as " + quarantine.retry(name, file));
        return "redirect:/quarantine";
    }

    @PostMapping("/quarantine/{name}/{file}/delete")
    public String delete(@PathVariable String name, @PathVariable String file, RedirectAttributes redirect)
            throws IOException {
        quarantine.delete(name, file);
        redirect.addFlashAttribute("message", file + " deleted.");
        return "redirect:/quarantine";
    }

    private boolean downloadable(String dataset, DatasetActions.Download what) {
        try {
            actions.download(dataset, what);
            return true;
        } catch (ResponseStatusException | IOException e) {
            return false;
        }
    }
}
