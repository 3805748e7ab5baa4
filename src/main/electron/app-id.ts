// One identity for the app, used at run time and by packaging (electron-builder's appId).
// Windows ties notifications and taskbar grouping to the AppUserModelID, which must equal appId.
export const APP_ID = 'app.credittray.desktop'
export const PRODUCT_NAME = 'Credit Tray'
