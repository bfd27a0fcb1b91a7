package io.captiond.web;

import io.captiond.config.CaptiondProperties;
import io.captiond.core.Folders;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may use the review station. Two filter chains:
 * <ul>
 * <li>{@code /api/**}: HTTP Basic with user {@code captiond} and the UI password, no session made
 * (scripts need no CSRF token); the page's own calls ride on the login session instead, and those
 * (no Authorization header) must carry the CSRF token like every other state-changing request;</li>
 * <li>everything else: form login, CSRF on every POST. Actuator and Replicate's webhook stay open as
 * before the station existed (the webhook checks its own signature).</li>
 * </ul>
 * With {@code captiond.ui.enabled=false} both chains answer the station's paths with 404. That is
 * decided here at run time rather than by conditions on beans: the launcher starts the jar with
 * Spring AOT, which fixes every bean condition when the jar is built.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class UiSecurity {

    static final String USER = "captiond";
    private static final String CSP = "Content-Security-Policy";
    private static final String STATION_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; frame-ancestors 'none'; form-action 'self'";
    /** {@code /datasets/<dataset>/report}: {@link PageController#report}. */
    private static final RequestMatcher REPORT = request -> request.getServletPath().matches("/datasets/[^/]+/report");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /**
     * The password is in the configuration in clear anyway; a constant-time compare, no slow hash per
     * API call. Without the station nobody logs in, no password is made, and Boot makes no default
     * user with a logged password.
     */
    @Bean
    AuthenticationManager uiAuthentication(CaptiondProperties props, Folders folders) {
        if (!props.ui().enabled()) {
            return auth -> {
                throw new BadCredentialsException("the review station is disabled");
            };
        }
        UiPassword password = UiPassword.resolve(props, folders);
        AuthenticationProvider provider = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication auth) {
                if (USER.equals(auth.getName()) && password.matches(String.valueOf(auth.getCredentials()))) {
                    return UsernamePasswordAuthenticationToken.authenticated(USER, null,
                            List.of(new SimpleGrantedAuthority("ROLE_USER")));
                }
                throw new BadCredentialsException("wrong user or password");
            }

            @Override
            public boolean supports(Class<?> type) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
            }
        };
        return new ProviderManager(provider);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, AuthenticationManager manager, CaptiondProperties props) throws Exception {
        if (!props.ui().enabled()) {
            return noStation(http.securityMatcher("/api/**"));
        }
        RequestMatcher browserWrite = request -> !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader("Authorization") == null;
        // the page's own calls read the login session; a script's Basic call never makes one
        HttpSessionSecurityContextRepository session = new HttpSessionSecurityContextRepository();
        session.setAllowSessionCreation(false);
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("captiond");
        return http.securityMatcher("/api/**")
                .authenticationManager(manager)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(basic))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.securityContextRepository(new DelegatingSecurityContextRepository(
                        new RequestAttributeSecurityContextRepository(), session)))
                .csrf(c -> c.requireCsrfProtectionMatcher(browserWrite))
                .exceptionHandling(e -> e.authenticationEntryPoint(basic))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http, AuthenticationManager manager, CaptiondProperties props) throws Exception {
        if (!props.ui().enabled()) {
            return noStation(http);
        }
        return http.authenticationManager(manager)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/**", "/replicate/webhook", "/login", "/error", "/ui/**",
                                "/favicon.ico").permitAll()
                        .anyRequest().authenticated())
                .csrf(c -> c.ignoringRequestMatchers("/replicate/webhook"))
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                // the insight report is one self-contained page (inline style and script): a policy of its own
                .headers(h -> h
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(REPORT),
                                new StaticHeadersWriter(CSP, STATION_POLICY)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(REPORT,
                                new StaticHeadersWriter(CSP, io.captiond.report.ReportPage.contentSecurityPolicy()))))
                .build();
    }

    /** {@code captiond.ui.enabled=false}: no station (404), and the rest (actuator, webhook) open as before. */
    private static SecurityFilterChain noStation(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a
                        .requestMatchers("/", "/api/**", "/datasets/**", "/quarantine/**", "/login").denyAll()
                        .anyRequest().permitAll())
                .csrf(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.NOT_FOUND)))
                .build();
    }
}
