"""A third-party talkshow plug-in, for the plug-in test: one provider of each of four kinds."""
