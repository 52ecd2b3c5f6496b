"""The Zalo Official Account adapter: citizens' questions arrive on its signed webhook and are
answered as consultation replies within the window Zalo allows."""
