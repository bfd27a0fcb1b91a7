package io.captiond;

import io.captiond.support.Pixels;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationEvent;

/** captiond: inbox of phone photos in, captioned LoRA training zip out. */
@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class CaptiondApplication {

    public static void main(String[] args) {
        // ImageIO's plugin scan (Pixels' static initialiser: every library's service files, and AWT) takes
        // 0.2 s of a 4 s start on two cores, so it runs beside Spring's start (bench/startup.sh)
        Thread imagePlugins = new Thread(Pixels::registerImagePlugins, "imageio-plugins");
        imagePlugins.setDaemon(true);
        imagePlugins.start();
        SpringApplication application = new SpringApplication(CaptiondApplication.class);
        application.addListeners(CaptiondBatch::chooseAotVariant, event -> awaitBeforeRefresh(event, imagePlugins));
        application.run(args);
    }

    /** The context's threads (web, routes) are the first that can touch ImageIO besides main (see Pixels). */
    private static void awaitBeforeRefresh(ApplicationEvent event, Thread imagePlugins) {
        if (event instanceof ApplicationPreparedEvent) {
            try {
                imagePlugins.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
