exports.handler = async () => {
    console.log("cleanup ran");
};
