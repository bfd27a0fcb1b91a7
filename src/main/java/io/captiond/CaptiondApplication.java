package io.captiond;

import io.captiond.support.Pixels;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** captiond: inbox of phone photos in, captioned LoRA training zip out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CaptiondApplication {

    public static void main(String[] args) {
        Pixels.registerImagePlugins(); // before any worker thread touches ImageIO (see Pixels)
        SpringApplication application = new SpringApplication(CaptiondApplication.class);
        application.addListeners(CaptiondBatch::chooseAotVariant);
        application.run(args);
    }
}
